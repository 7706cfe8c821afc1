"""`assistant serve` as a real server process: its workers answer signed webhooks, and
SIGTERM stops them all."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest

from assistant.cli.serve import default_workers
from assistant.telephony.signatures import sign
from tests.conftest import write_config

TOKEN = "serve-test-token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _text(port: int, phone: str, body: str) -> tuple[int, bytes, str]:
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "From": phone, "To": "+15550009999", "Body": body}
    url = f"http://127.0.0.1:{port}/sms/incoming"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/sms/incoming", body=urlencode(params),
                           headers={"Content-Type": "application/x-www-form-urlencoded",
                                    "X-Twilio-Signature": sign(TOKEN, url, params)})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Connection", "")
    finally:
        connection.close()


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.fixture
def server(tmp_path: Path, database_url: str, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    port = _free_port()
    config = write_config(tmp_path, database_url, **{"twilio.auth_token": TOKEN,
                                                     "public_url": f"http://127.0.0.1:{port}"})
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ASSISTANT_", "TWILIO_"))}
    env["ASSISTANT_CONFIG"] = str(config)
    with (tmp_path / "serve.log").open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port),
                                    "--no-scheduler", *request.param], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(port, "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail((tmp_path / "serve.log").read_text())
    yield process, port, tmp_path / "serve.log"
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.mark.parametrize("server", [["--workers", "2"]], indirect=True)
def test_two_workers_answer_texts_and_stop_together_on_sigterm(server) -> None:  # type: ignore[no-untyped-def]
    process, port, log = server
    workers = _children(process.pid)
    assert len(workers) == 2
    for n in range(6):
        status, body, connection = _text(port, f"+1555070{n:04d}", "MENU")
        assert status == 200 and b"<Message>" in body
        assert connection.lower() == "close"  # each request goes to whichever worker is free
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    assert "2 worker(s) x 8 threads" in log.read_text()


@pytest.mark.parametrize("server", [[]], indirect=True)
def test_one_worker_keeps_connections_alive_by_default_on_sqlite(server, database_url: str) -> None:  # type: ignore[no-untyped-def]
    process, port, log = server
    expected = default_workers(database_url)
    assert len(_children(process.pid)) == expected
    status, body, connection = _text(port, "+15550700001", "MENU")
    assert status == 200 and b"<Message>" in body
    assert (connection.lower() == "close") == (expected > 1)


def test_the_default_is_one_worker_on_sqlite_and_one_per_cpu_up_to_four_elsewhere() -> None:
    assert default_workers("sqlite:///var/assistant.db") == 1
    assert default_workers("postgresql+psycopg://db/hotline") == max(1, min(4, os.cpu_count() or 1))
