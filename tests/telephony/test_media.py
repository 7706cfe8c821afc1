"""Recording fetches: the host is checked by the HTTP client's own parser, https only, and a
download is capped in size and in time."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from assistant.config import Config
from assistant.telephony import RecordingNotAllowed, TelephonyError, media
from assistant.telephony.twilio_backend import TwilioTelephony
from tests.telephony.carrier import local_carrier
from tests.telephony.test_backends import twilio_config


class Listener:
    """A raw local server: records whether anyone connected; can trickle a slow response."""

    def __init__(self, trickle: bool = False) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.trickle = trickle
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self.sock.accept()
        except OSError:
            return
        self.connections += 1
        with connection:
            connection.recv(65536)
            if self.trickle:
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\n\r\n")
                try:
                    for _ in range(40):
                        connection.sendall(b"R")
                        time.sleep(0.25)
                except OSError:
                    pass

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


def test_a_backslash_cannot_smuggle_another_host_past_the_check(config: Config, listener: Listener) -> None:
    telephony = TwilioTelephony(twilio_config(config, "https://api.twilio.com").twilio)
    telephony.config.media_hosts = ["api.twilio.com"]
    with pytest.raises(RecordingNotAllowed):
        telephony.fetch_recording(f"http://127.0.0.1:{listener.port}\\@api.twilio.com/x")
    time.sleep(0.2)
    assert listener.connections == 0


@pytest.mark.parametrize("url", [
    "http://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
    "https://user:secret@api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
    "https://api.twilio.com:8443/2010-04-01/Accounts/AC1/Recordings/RE1",
    "https://api.twilio.com.evil.example/Recordings/RE1",
    "https://api.twilio.com\\.evil.example/Recordings/RE1",
    "ftp://api.twilio.com/RE1",
])
def test_only_https_on_the_default_port_to_an_allowed_host_is_fetched(config: Config, url: str) -> None:
    twilio = twilio_config(config, "https://api.twilio.com").twilio
    twilio.media_hosts = ["api.twilio.com"]
    with pytest.raises(RecordingNotAllowed):
        media.check_url(url, twilio)
    assert media.check_url("https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1", twilio)


def test_a_recording_larger_than_the_cap_is_refused(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(media, "MAX_BYTES", 1000)
    with local_carrier() as carrier:
        telephony = TwilioTelephony(twilio_config(config, carrier.base_url).twilio)
        small = carrier.add_recording(b"RIFF" + b"\0" * 500)
        large = carrier.add_recording(b"RIFF" + b"\0" * 5000)
        assert len(telephony.fetch_recording(small)) == 504
        with pytest.raises(TelephonyError, match="larger than"):
            telephony.fetch_recording(large)


def test_a_slow_sender_cannot_hold_a_download_past_its_deadline(config: Config,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(media, "DEADLINE_SECONDS", 1.0)
    slow = Listener(trickle=True)
    try:
        telephony = TwilioTelephony(twilio_config(config, f"http://127.0.0.1:{slow.port}").twilio)
        started = time.monotonic()
        with pytest.raises(TelephonyError, match="longer than"):
            telephony.fetch_recording(f"http://127.0.0.1:{slow.port}/Recordings/RE1")
        assert time.monotonic() - started < 3
    finally:
        slow.close()
