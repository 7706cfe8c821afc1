"""`assistant serve` as a real server process: its workers answer signed webhooks, and
SIGTERM stops them all."""
from __future__ import annotations

import asyncio
import http.client
import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import websockets

from assistant.cli.serve import default_workers
from assistant.simulator.stream import StreamCaller
from assistant.telephony.signatures import sign
from benchmarks.server import AssistantServer

TOKEN = "serve-test-token"


def _text(server: AssistantServer, phone: str, body: str) -> tuple[int, bytes, str]:
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "From": phone, "To": "+15550009999", "Body": body}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("POST", "/sms/incoming", body=urlencode(params),
                           headers={"Content-Type": "application/x-www-form-urlencoded",
                                    "X-Twilio-Signature": sign(TOKEN, f"{server.public_url}/sms/incoming", params)})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Connection", "")
    finally:
        connection.close()


@pytest.fixture
def server(tmp_path: Path, database_url: str, request: pytest.FixtureRequest) -> Iterator[AssistantServer]:
    running = AssistantServer(tmp_path, database_url, f"twilio: {{auth_token: {TOKEN}}}\n",
                              serve_options=request.param)
    yield running
    running.stop()


@pytest.mark.parametrize("server", [["--workers", "2"]], indirect=True)
def test_two_workers_answer_texts_and_stop_together_on_sigterm(server: AssistantServer) -> None:
    workers = server.worker_pids()
    assert len(workers) == 2
    for n in range(6):
        status, body, connection = _text(server, f"+1555070{n:04d}", "MENU")
        assert status == 200 and b"<Message>" in body
        assert connection.lower() == "close"  # each request goes to whichever worker is free
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=40) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    assert "2 worker(s) x 8 threads" in server.log.read_text()


@pytest.mark.parametrize("server", [[]], indirect=True)
def test_one_worker_keeps_connections_alive_by_default_on_sqlite(server: AssistantServer,
                                                                 database_url: str) -> None:
    expected = default_workers(database_url)
    assert len(server.worker_pids()) == expected
    status, body, connection = _text(server, "+15550700001", "MENU")
    assert status == 200 and b"<Message>" in body
    assert (connection.lower() == "close") == (expected > 1)


def test_the_default_is_one_worker_on_sqlite_and_one_per_cpu_up_to_four_elsewhere() -> None:
    assert default_workers("sqlite:///var/assistant.db") == 1
    assert default_workers("postgresql+psycopg://db/hotline") == max(1, min(4, os.cpu_count() or 1))


def _serve(runner, *options: str):  # type: ignore[no-untyped-def]
    from assistant.cli import cli

    return runner.invoke(cli, ["serve", *options])


def test_serve_refuses_a_public_address_without_an_auth_token(runner, config_path: Path,  # type: ignore[no-untyped-def]
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_PUBLIC_URL", "https://care.example.org")
    result = _serve(runner)
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "twilio.auth_token" in line and "TWILIO_AUTH_TOKEN" in line and "--insecure-dev" in line
    result = _serve(runner, "--host", "0.0.0.0")
    assert result.exit_code == 2 and "host 0.0.0.0" in result.stderr


def test_serve_refuses_a_public_address_while_a_demo_password_remains(runner, config_path: Path,  # type: ignore[no-untyped-def]
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.cli import cli

    assert runner.invoke(cli, ["init-db", "--demo"]).exit_code == 0
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "a-real-token")
    monkeypatch.setenv("ASSISTANT_PUBLIC_URL", "https://care.example.org")
    result = _serve(runner)
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "sam@example.org" in line and "demo password" in line


def test_the_checks_pass_for_a_local_server_or_a_secured_one(config, db) -> None:  # type: ignore[no-untyped-def]
    from assistant.cli.serve import refusals

    assert refusals(config, db, "127.0.0.1") == []
    config.public_url = "https://care.example.org"
    assert len(refusals(config, db, "127.0.0.1")) == 1
    config.twilio.auth_token = "a-real-token"
    assert refusals(config, db, "0.0.0.0") == []


@pytest.mark.parametrize("server", [[]], indirect=True)
def test_the_media_stream_websocket_is_served_on_the_same_port_and_checks_its_signature(
        server: AssistantServer) -> None:
    url = f"ws://127.0.0.1:{server.port}/voice/stream"

    async def call(token: str) -> None:
        async with StreamCaller(url, auth_token=token, params={"lang": "en"}) as line:
            await line.silence(0.2)
            await line.press("1")

    asyncio.run(call(TOKEN))
    with pytest.raises(websockets.InvalidStatus) as refused:
        asyncio.run(call("forged"))
    assert refused.value.response.status_code == 403
    status, body, _ = _text(server, "+15550700001", "MENU")
    assert status == 200
    log = server.log.read_text()
    assert f"media streams: {url}" in log and "media stream MZ" in log
