"""Query workers without a network: the second wall behind the SERVICE check.

pyoxigraph is built with an HTTP client, so a ``SERVICE <url>`` that reached the engine
would make the worker send a request to any address the server can reach (and its error
texts would scan ports). :mod:`graph.sparql.guard` refuses SERVICE before a query runs; should a
future parser difference let one through again, the worker that runs it has nowhere to
send it. On Linux a worker moves into a network namespace of its own, which holds only a
loopback interface that is down: every ``connect`` fails with "network is unreachable".

That needs either CAP_SYS_ADMIN (root, as in CI and containers) or unprivileged user
namespaces (most distributions): the first that works is used. Elsewhere, or when both are
refused, the worker runs as before and the server logs one warning; the query check still
holds. Only workers over the embedded store are isolated: a worker over a remote store
needs the network to reach it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import socket
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def isolate_network() -> bool:
    """Move this process into an empty network namespace; True when it worked.

    Call it first thing in a fresh process: a user namespace can only be entered while the
    process has a single thread.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    except OSError:
        return False
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return not network_reachable()
    return False


def network_reachable() -> bool:
    """Whether this process can open a TCP connection to its own loopback.

    A namespace without interfaces refuses at once (ENETUNREACH); a normal one answers
    "connection refused" from a closed port, which still means packets get through.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(("127.0.0.1", 9))
        except ConnectionRefusedError:
            return True
        except OSError:
            return False
    return True
