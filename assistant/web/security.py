"""Headers every response carries, and the client address as the trusted proxies report it.

The dashboard shows health data: pages are never cached, never framed, and may load nothing
from elsewhere. Behind `web.trusted_proxy_hops` reverse proxies, Werkzeug's ProxyFix takes
the client's address and scheme from that many X-Forwarded-* entries (and no more, so a
client cannot forge its address by sending its own header).
"""
from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HSTS_SECONDS = 365 * 24 * 3600
MAX_ID = 2**31 - 1
"""The largest id a table holds: a larger one in a URL is a 404, not an overflow."""


class BoundedInt(IntegerConverter):
    def __init__(self, map: object, *args: object, **kwargs: object) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]


def _headers(response: Response, https: bool) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Content-Security-Policy", CSP)
    if not request.path.startswith("/dashboard/static/"):
        headers["Cache-Control"] = "no-store"
    if https:
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_SECONDS}")
    return response


def init_app(app: Flask, *, public_url: str, trusted_proxy_hops: int) -> None:
    """Call before any blueprint is registered (the `int` converter applies to later routes)."""
    app.url_map.converters["int"] = BoundedInt
    https = public_url.startswith("https://")
    app.after_request(lambda response: _headers(response, https))
    if trusted_proxy_hops:
        hops = trusted_proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
