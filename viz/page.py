"""A :class:`~viz.network.ServiceNetwork` as one self-contained, offline HTML page.

Everything the page needs is inside it: vis-network's JS and CSS from the installed pyvis
package, the Vazirmatn font (``viz/static``, SIL OFL) as a ``data:`` URL, and the graph as
JSON in a ``<script type="application/json">`` block. A Content-Security-Policy meta tag
forbids any fetch, so a page saved to disk works without a network and cannot leak one.

Card text is escaped twice over: the template autoescapes, and the JSON block escapes
``<``, ``>`` and ``&`` so it can never close its script element; the page's script puts card
strings into the DOM with ``textContent`` only.
"""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from viz.network import ServiceNetwork
from viz.styles import FONT_STACK, legend, words

VIS_VERSION = "9.1.2"
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028"}


@cache
def _vis_asset(name: str) -> str:
    """vis-network's file ``name`` from pyvis's own copy (never a CDN)."""
    base = resources.files("pyvis")
    for folder in ("lib", "templates/lib"):
        path = base.joinpath(f"{folder}/vis-{VIS_VERSION}/{name}")
        if path.is_file():
            text = path.read_text("utf-8")
            return _SOURCE_MAP.sub("", text)
    raise FileNotFoundError(f"pyvis ships no vis-{VIS_VERSION}/{name}")


@cache
def _font_faces() -> str:
    """@font-face rules for the shipped Vazirmatn weights, as data: URLs."""
    rules = []
    for weight, name in ((400, "Vazirmatn-Regular.woff2"), (700, "Vazirmatn-Bold.woff2")):
        data = resources.files("viz").joinpath(f"static/{name}").read_bytes()
        b64 = base64.b64encode(data).decode("ascii")
        rules.append(
            "@font-face{font-family:'Vazirmatn';font-style:normal;font-display:block;"
            f"font-weight:{weight};src:url(data:font/woff2;base64,{b64}) format('woff2')}}"
        )
    return "\n".join(rules)


@cache
def _template() -> Any:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    text = resources.files("viz").joinpath("templates/page.html").read_text("utf-8")
    return env.from_string(text)


def json_for_script(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>`` can appear).

    >>> json_for_script({"label": "</script><img src=x>"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def render(
    net: ServiceNetwork,
    *,
    toggle_href: str | None = None,
    service_base: str = "/services/",
) -> str:
    """The HTML page of ``net``.

    ``toggle_href`` is the link to the same view in the other language (omitted in files
    written by the CLI, which hold one language); ``service_base`` prefixes a service ID to
    link a node to its API page.
    """
    info = net.info
    lang = info.lang
    payload = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "view": info.view,
        "lang": lang,
        "serviceBase": service_base,
        "words": {k: words(lang)[k] for k in ("select_hint", "api_page", "service_id")},
    }
    return _template().render(
        lang=lang,
        dir="rtl" if lang == "fa" else "ltr",
        info=info,
        words=words(lang),
        legend=legend(lang),
        toggle_href=toggle_href,
        font_stack=Markup(FONT_STACK),
        font_faces=Markup(_font_faces()),
        vis_css=Markup(_vis_asset("vis-network.css")),
        vis_js=Markup(_vis_asset("vis-network.min.js")),
        data=Markup(json_for_script(payload)),
        node_count=len(net.nodes),
        edge_count=len(net.edges),
    )
