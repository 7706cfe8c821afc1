"""A local Twilio-compatible carrier: a real HTTP server that records what it is asked to do,
and the media streams it opens to the hotline (`stream`), speaking Twilio's documented
Media Streams messages with paced audio."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask, Response, jsonify, request
from werkzeug.serving import make_server

from assistant.simulator.stream import StreamCaller


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
    updates: list[dict[str, object]] = field(default_factory=list)
    """Call updates received: {"call_sid", "twiml", "at" (time.monotonic())}."""
    updated: threading.Condition = field(default_factory=threading.Condition)
    followers: list[Callable[[str, str], None]] = field(default_factory=list)
    """Told (call SID, TwiML) of every call update, as a phone line runs it."""

    def stream(self, url: str, *, signed_url: str = "", call_sid: str | None = None, auth_token: str = "",
               params: dict[str, str] | None = None, pace: float = 1.0) -> StreamCaller:
        """A media stream from a call to `url`, signed over `signed_url` (the `<Stream url>`
        Twilio was given; `url` itself by default). Open it with `async with`."""
        return StreamCaller(url, call_sid, signed_url=signed_url, auth_token=auth_token, params=params,
                            pace=pace)

    def wait_for_update(self, count: int = 1, timeout: float = 30.0) -> list[dict[str, object]]:
        """Block until `count` call updates have arrived; returns all updates so far."""
        with self.updated:
            self.updated.wait_for(lambda: len(self.updates) >= count, timeout)
            return list(self.updates)

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

    @app.post("/2010-04-01/Accounts/<sid>/Calls/<call_sid>.json")
    def update_call(sid: str, call_sid: str) -> Response:
        remember()
        if request.authorization is None:
            return Response(status=401)
        with carrier.updated:
            carrier.updates.append({"call_sid": call_sid, "twiml": request.form.get("Twiml", ""),
                                    "at": time.monotonic()})
            carrier.updated.notify_all()
        for follow in carrier.followers:
            follow(call_sid, request.form.get("Twiml", ""))
        return jsonify({"sid": call_sid, "account_sid": sid, "status": "in-progress"}), 200

    @app.delete("/2010-04-01/Accounts/<sid>/Recordings/<rec>.json")
    def delete_recording(sid: str, rec: str) -> Response:
        remember()
        if request.authorization is None:
            return Response(status=401)
        if carrier.recordings.pop(rec, None) is None:
            return jsonify({"code": 20404, "status": 404}), 404
        return Response(status=204)

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
