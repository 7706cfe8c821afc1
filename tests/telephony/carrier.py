"""A local Twilio-compatible carrier: a real HTTP server that records what it is asked to do."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask, Response, jsonify, request
from werkzeug.serving import make_server


@dataclass
class Carrier:
    base_url: str = ""
    requests: list[dict[str, object]] = field(default_factory=list)
    fail_with: int | None = None


@contextmanager
def local_carrier() -> Iterator[Carrier]:
    carrier = Carrier()
    app = Flask("carrier")

    def remember() -> None:
        carrier.requests.append({"path": request.path, "form": request.form.to_dict(flat=False),
                                 "auth": request.authorization and request.authorization.username})

    @app.post("/2010-04-01/Accounts/<sid>/Calls.json")
    def calls(sid: str) -> Response:
        remember()
        if carrier.fail_with:
            return jsonify({"code": 21211, "message": "Invalid 'To'", "status": carrier.fail_with}), carrier.fail_with
        return jsonify({"sid": "CA" + "1" * 32, "account_sid": sid, "status": "queued"}), 201

    @app.post("/2010-04-01/Accounts/<sid>/Messages.json")
    def messages(sid: str) -> Response:
        remember()
        return jsonify({"sid": "SM" + "2" * 32, "account_sid": sid, "status": "queued"}), 201

    @app.get("/2010-04-01/Accounts/<sid>/Recordings/<rec>.wav")
    def recording(sid: str, rec: str) -> Response:
        remember()
        if request.authorization is None:
            return Response(status=401)
        return Response(b"RIFF....WAVE", mimetype="audio/wav")

    server = make_server("127.0.0.1", 0, app)
    carrier.base_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield carrier
    finally:
        server.shutdown()
        thread.join()
