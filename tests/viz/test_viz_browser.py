"""The pages as a person sees them: served by the API, opened in headless Chromium.

Each test loads a view from the live server, waits until the network is drawn and settled
(``data-sg-stable``), and asserts from the page itself: the vis network exists, the
expected number of nodes is drawn, a known Persian label is there, no JavaScript error
was logged and no request left the machine. A screenshot of each view goes to
``tests/artifacts/``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.viz.conftest import HOSTILE
from viz.views import find_node, focus, impact_view, landscape

pytestmark = pytest.mark.browser
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class Visit:
    """One page load with its console errors, page errors, dialogs and requests."""

    def __init__(self, browser, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on(
            "console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None
        )
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        self.page.wait_for_selector("html[data-sg-stable]", state="attached", timeout=60_000)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def close(self, shot) -> None:
        self.page.screenshot(path=str(shot))
        self.page.close()


def _views(G):
    gsb = find_node(G, "system", "gsb")
    shahkar = find_node(G, "system", "shahkar")
    service = find_node(G, "service", "13091710100")
    return [
        ("landscape-fa", "/viz", lambda: landscape(G), G.nodes[gsb]["label_fa"]),
        ("landscape-en", "/viz?lang=en", lambda: landscape(G, lang="en"), "GSB"),
        (
            "aggregated",
            "/viz?aggregate=true",
            lambda: landscape(G, aggregate=True),
            G.nodes[shahkar]["label_fa"],
        ),
        (
            "focus-service",
            "/viz/focus/service/13091710100?depth=2",
            lambda: focus(G, service, depth=2),
            G.nodes[service]["label_fa"][:20],
        ),
        (
            "impact-gsb",
            "/viz/impact/system/gsb",
            lambda: impact_view(G, [gsb]),
            G.nodes[gsb]["label_fa"],
        ),
    ]


@pytest.mark.parametrize(
    "index",
    range(5),
    ids=["landscape-fa", "landscape-en", "aggregated", "focus-service", "impact-gsb"],
)
def test_view_renders_offline_in_chromium(index, G, server, browser, artifacts):
    name, path, build, label = _views(G)[index]
    expected = build()
    visit = Visit(browser, server + path)
    try:
        assert visit.js("typeof window.__sgNetwork === 'object' && window.__sgNetwork !== null")
        assert visit.js("window.__sgNodes.length") == len(expected.nodes)
        assert visit.js("window.__sgEdges.length") == len(expected.edges)
        labels = visit.js("window.__sgNodes.get().map(n => n.label)")
        assert any(label in text for text in labels), label
        assert visit.js("window.__sgStabilizedMs") > 0
        lang = "en" if path.endswith("lang=en") else "fa"
        assert visit.js("document.documentElement.dir") == ("ltr" if lang == "en" else "rtl")
        assert visit.js("getComputedStyle(document.getElementById('sg-panel')).direction") == (
            "ltr" if lang == "en" else "rtl"
        )
        assert visit.js("document.fonts.check('14px Vazirmatn', 'سامانه')")
        toggle = visit.js("document.getElementById('sg-lang-toggle').getAttribute('href')")
        assert ("lang=fa" if lang == "en" else "lang=en") in toggle
        assert visit.errors == []
        assert visit.outside == []
    finally:
        visit.close(artifacts / f"viz-{name}.png")


def test_hostile_name_is_shown_not_run(G, server, browser, artifacts):
    visit = Visit(browser, server + "/viz")
    try:
        node = visit.js(f"window.__sgNodes.get().find(n => n.sgLabel === {HOSTILE!r}) || null")
        assert node is not None and node["label"] == HOSTILE
        assert HOSTILE in node["title"]
        # Click the node as a person would: its facts go to the side panel as text.
        x, y = visit.js(
            "(() => { const net = window.__sgNetwork; const id = "
            f"window.__sgNodes.get().find(n => n.sgLabel === {HOSTILE!r}).id;"
            "net.focus(id, {scale: 1.5}); const p = net.canvasToDOM(net.getPosition(id));"
            "const r = document.getElementById('sg-network').getBoundingClientRect();"
            "return [p.x + r.left, p.y + r.top]; })()"
        )
        visit.page.wait_for_timeout(300)
        visit.page.mouse.click(x, y)
        visit.page.wait_for_selector("#sg-selected dl", state="attached")
        panel = visit.js("document.getElementById('sg-selected').textContent")
        assert HOSTILE in panel
        assert visit.js("document.querySelectorAll('#sg-panel img, #sg-network img').length") == 0
        assert visit.dialogs == []
        assert visit.errors == []
    finally:
        visit.close(artifacts / "viz-hostile-name.png")


def test_service_link_and_unknown_target(G, server, browser):
    visit = Visit(browser, server + "/viz/focus/service/1001176000")
    try:
        visit.js(
            "(() => { const nodes = window.__sgNodes.get().filter(n => n.sgServiceId);"
            "window.__sgNetwork.selectNodes([nodes[0].id]);"
            "window.__sgNetwork.body.emitter.emit('click', {nodes: [nodes[0].id], edges: []}); })()"
        )
        href = visit.js("document.getElementById('sg-service-link').getAttribute('href')")
        assert href.startswith("/services/") and href[len("/services/") :].isdigit()
    finally:
        visit.page.close()
    response = browser.new_page()
    try:
        reply = response.goto(server + "/viz/impact/system/no-such-system")
        assert reply is not None and reply.status == 404
        assert "no-such-system" in reply.text()
    finally:
        response.close()
