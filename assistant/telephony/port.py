"""The telephony port: every outside effect (a call, an SMS, a call update, a recording fetch
or deletion) goes through it.

Calls and SMS reach it only through the outbox sender, after the transaction that decided them
has committed (`services/outbox_sender.py`); a call update is sent at once by the stream
server, outside any transaction. Nothing here touches the database.
"""
from __future__ import annotations

from typing import Protocol

CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 10.0
TIMEOUTS = (CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS)
"""(connect, read) for every request to the carrier: a stalled carrier costs a sender this
long, never a webhook."""


class TelephonyError(Exception):
    """An outside effect failed; the message is one line, without phone numbers.

    `maybe_done` is True when the request may have reached the carrier before it failed (a
    read timeout, a connection dropped after sending): trying again blindly could send twice."""

    def __init__(self, message: str, *, maybe_done: bool = False) -> None:
        super().__init__(message)
        self.maybe_done = maybe_done


class RecordingNotAllowed(TelephonyError):
    """A recording URL that is not https on one of `twilio.media_hosts` (or the carrier itself)."""


class Telephony(Protocol):
    mode: str
    """"twilio" or "console"."""

    def place_call(self, to: str, url: str, *, status_callback: str, machine_detection: bool = False,
                   timeout_seconds: int = 30) -> str:
        """Dial `to`; when answered, Twilio fetches TwiML from `url`. Returns the call SID."""

    def send_sms(self, to: str, body: str, *, status_callback: str | None = None) -> str:
        """Send one SMS (the carrier splits it into segments). Returns the message SID."""

    def fetch_recording(self, url: str) -> bytes:
        """Download a recording as WAV bytes, only from allowed hosts (see `media.py`)."""

    def delete_recording(self, url: str) -> None:
        """Delete a recording at the carrier (once it is stored here), only on allowed hosts;
        one already gone is not an error."""

    def update_call(self, call_sid: str, twiml: str) -> None:
        """Move a live call on: it stops what it is doing (a prompt mid-sentence included) and
        runs `twiml`. Network I/O with timeouts: never call it inside a database transaction."""
