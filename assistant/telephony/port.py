"""The telephony port: every outside effect (a call, an SMS, a call update, a recording fetch
or deletion) goes through it."""
from __future__ import annotations

from typing import Protocol
from urllib.parse import urlparse

from sqlalchemy.orm import Session


class TelephonyError(Exception):
    """An outside effect failed; the message is one line, without phone numbers."""


class RecordingNotAllowed(TelephonyError):
    """A recording URL whose host is not in `twilio.media_hosts`."""


class Telephony(Protocol):
    mode: str
    """"twilio" or "console"."""

    def place_call(self, to: str, url: str, *, status_callback: str, machine_detection: bool = False,
                   timeout_seconds: int = 30, session: Session | None = None) -> str:
        """Dial `to`; when answered, Twilio fetches TwiML from `url`. Returns the call SID.

        `session` is the caller's open transaction: the console outbox writes into it (a second
        connection would wait on SQLite's single writer); the Twilio backend ignores it."""

    def send_sms(self, to: str, body: str, *, status_callback: str | None = None,
                 session: Session | None = None) -> str:
        """Send one SMS (the carrier splits it into segments). Returns the message SID."""

    def fetch_recording(self, url: str) -> bytes:
        """Download a recording as WAV bytes, only from allowed hosts."""

    def delete_recording(self, url: str) -> None:
        """Delete a recording at the carrier (once it is stored here), only on allowed hosts;
        one already gone is not an error."""

    def update_call(self, call_sid: str, twiml: str) -> None:
        """Move a live call on: it stops what it is doing (a prompt mid-sentence included) and
        runs `twiml`. Network I/O with timeouts: never call it inside a database transaction."""


def check_media_host(url: str, allowed_hosts: list[str]) -> None:
    """Raise RecordingNotAllowed unless `url` is http(s) on one of `allowed_hosts`."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or (parsed.hostname or "") not in allowed_hosts:
        raise RecordingNotAllowed(f"recording host {parsed.hostname or '?'!r} is not in twilio.media_hosts")
