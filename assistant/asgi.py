"""One ASGI application for a whole call: the Flask app (webhooks, dashboard) and the stream
server's websocket, on the same host and port.

- HTTP goes to the Flask app, a WSGI app run in a pool of `threads` threads (a2wsgi), as
  gunicorn's threaded workers did.
- A websocket at `STREAM_PATH` is a Twilio Media Stream; any other websocket is refused.
- `close_connections` answers every HTTP request with `Connection: close`, so that with
  several worker processes each request goes to whichever worker is free.
"""
from __future__ import annotations

import logging
from typing import Any

from a2wsgi import WSGIMiddleware
from flask import Flask

from assistant.config import STREAM_PATH
from assistant.stream.server import Receive, Scope, Send, StreamServer

log = logging.getLogger(__name__)


class HotlineApp:
    def __init__(self, flask_app: Flask, stream: StreamServer, *, threads: int,
                 close_connections: bool = False) -> None:
        self.flask_app = flask_app
        self.stream = stream
        self.wsgi = WSGIMiddleware(flask_app, workers=threads)  # type: ignore[arg-type]
        self.close_connections = close_connections

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self.wsgi(scope, receive, self._closing(send) if self.close_connections else send)
        elif kind == "websocket":
            if scope.get("path") == STREAM_PATH:
                await self.stream(scope, receive, send)
            else:
                await receive()
                await send({"type": "websocket.close", "code": 1008})
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    @staticmethod
    def _closing(send: Send) -> Send:
        async def closing(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            await send(message)
        return closing

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.stream.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
