"""The hotline served as `assistant serve` serves it (uvicorn running `HotlineApp`), in a
thread of this process on a free local port: the simulator's stream server, and the tests'."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from flask import Flask

from assistant.asgi import HotlineApp
from assistant.stream.server import StreamServer

START_SECONDS = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(app: Flask, stream: StreamServer, threads: int = 4) -> Iterator[int]:
    """Serve `app` and `stream` on 127.0.0.1 until the block ends; yields the port."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(HotlineApp(app, stream, threads=threads), host="127.0.0.1",
                                           port=port, ws="websockets-sansio", lifespan="on", log_config=None))
    thread = threading.Thread(target=server.run, name="hotline-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.02)
    if not server.started:
        raise RuntimeError(f"the hotline could not be served on port {port}")
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=30)
