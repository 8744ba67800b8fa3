"""Security headers on every answer: no MIME sniffing, and a content policy for pages.

Query results and uploaded cards carry text written by strangers; the pages escape it, and
these headers are the second wall. ``X-Content-Type-Options: nosniff`` stops a browser from
running a JSON or CSV answer as a script or page. HTML gets a Content-Security-Policy that
loads nothing from another origin (the product ships its assets: no CDN), lets no page be
framed, sends forms only here and lets no plugin run. Inline scripts and styles stay
allowed: the pyvis views are single files that inline theirs.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_POLICY = CONTENT_SECURITY_POLICY.encode()
_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in _ALWAYS if k not in names]
                html = dict(headers).get(b"content-type", b"").startswith(b"text/html")
                if html and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", _POLICY))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
