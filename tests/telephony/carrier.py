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
    """Answer calls and messages with this HTTP error status."""
    open_gate: threading.Event = field(default_factory=lambda: _opened())
    """Cleared, every call and message request waits until it is set again (a stalled carrier)."""
    recordings: dict[str, bytes] = field(default_factory=dict)
    """Recordings it serves, by SID: what a caller 'said' in a test."""

    def add_recording(self, audio: bytes) -> str:
        """Serve `audio` as a new recording; returns its URL (as Twilio posts it)."""
        sid = f"RE{len(self.recordings):032d}"
        self.recordings[sid] = audio
        return f"{self.base_url}/2010-04-01/Accounts/AC{'0' * 32}/Recordings/{sid}"

    def sent(self, kind: str = "Messages") -> list[dict[str, str]]:
        """What the app asked the carrier to do, as {To, Body...} (first value of each field)."""
        return [{k: v[0] for k, v in r["form"].items()} for r in self.requests
                if str(r["path"]).endswith(f"/{kind}.json")]


def _opened() -> threading.Event:
    gate = threading.Event()
    gate.set()
    return gate


@contextmanager
def local_carrier() -> Iterator[Carrier]:
    carrier = Carrier()
    app = Flask("carrier")

    def remember() -> None:
        carrier.requests.append({"path": request.path, "form": request.form.to_dict(flat=False),
                                 "auth": request.authorization and request.authorization.username})

    @app.post("/2010-04-01/Accounts/<sid>/Calls.json")
    def calls(sid: str) -> Response:
        carrier.open_gate.wait()
        remember()
        if carrier.fail_with:
            return jsonify({"code": 21211, "message": "Invalid 'To'", "status": carrier.fail_with}), carrier.fail_with
        carrier.requests[-1]["sid"] = call_sid = f"CA{len(carrier.requests):032d}"
        return jsonify({"sid": call_sid, "account_sid": sid, "status": "queued"}), 201

    @app.post("/2010-04-01/Accounts/<sid>/Messages.json")
    def messages(sid: str) -> Response:
        carrier.open_gate.wait()
        remember()
        if carrier.fail_with:
            return jsonify({"code": 30003, "message": "Unreachable", "status": carrier.fail_with}), carrier.fail_with
        return jsonify({"sid": f"SM{len(carrier.requests):032d}", "account_sid": sid, "status": "queued"}), 201

    @app.get("/2010-04-01/Accounts/<sid>/Recordings/<rec>.wav")
    def recording(sid: str, rec: str) -> Response:
        remember()
        if request.authorization is None:
            return Response(status=401)
        return Response(carrier.recordings.get(rec, b"RIFF....WAVE"), mimetype="audio/wav")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    carrier.base_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield carrier
    finally:
        carrier.open_gate.set()
        server.shutdown()
        thread.join()
