"""5,000 synthetic cards' worth of names: the gold counterparts plus 2 unique unknown names per card."""
import glob, json, sys, time
UNIQUE = "--unique" in sys.argv
t0 = time.perf_counter()
from graph.resolve import Resolver
r = Resolver.default()
load = time.perf_counter() - t0
cards = [json.load(open(f)) for f in sorted(glob.glob("/work/shared/gold/*.json"))]
t = time.perf_counter(); n = 0
for i in range(5000):
    c = cards[i % 5]
    r.agency(c["agency"], context=c["parent_agency"]); r.agency(c["parent_agency"]); n += 2
    for e in c["internal_exchanges"]:
        r.system(e["system"], agency=c["agency"]); n += 1
        for f in e["fields"]: r.field(f); n += 1
    for e in c["external_exchanges"]:
        r.agency(e["agency"]); r.system(e["system"], agency=e["agency"]); n += 2
        for f in e["fields"]: r.field(f); n += 1
    if UNIQUE: r.agency(f"اداره کل نمونه شماره {i}"); r.system(f"سامانه آزمایشی شماره {i}"); n += 2
dt = time.perf_counter() - t
print(f"register load + index: {load:.2f} s; 5000 cards, {n} names: {dt:.2f} s ({dt/n*1e6:.1f} us/name)")
