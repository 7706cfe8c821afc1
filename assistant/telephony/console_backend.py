"""Console mode: nothing leaves the machine. Calls and SMS go to the `outbox` table and stdout."""
from __future__ import annotations

import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlparse

import requests
from sqlalchemy.orm import Session

from assistant.config import Config
from assistant.db.database import Database
from assistant.db.models import OutboxMessage
from assistant.phones import mask
from assistant.telephony.port import TelephonyError, check_media_host


class ConsoleTelephony:
    mode = "console"

    def __init__(self, config: Config, db: Database, out: TextIO | None = None,
                 on_update: Callable[[str, str], None] | None = None) -> None:
        self.config = config
        self.db = db
        self.out = out
        self.on_update = on_update
        """Told (call SID, TwiML) of every call update: the simulator's phone follows it."""

    def _store(self, kind: str, prefix: str, to: str, body: str, params: dict[str, object],
               session: Session | None) -> str:
        sid = prefix + secrets.token_hex(16)
        message = OutboxMessage(kind=kind, sid=sid, to_number=to, body=body, params=params,
                                from_number=self.config.twilio.from_number)
        if session is not None:
            session.add(message)
        else:
            with self.db.session() as own:
                own.add(message)
        print(f"[outbox] {kind} to {mask(to)}: {body}", file=self.out or sys.stdout, flush=True)
        return sid

    def place_call(self, to: str, url: str, *, status_callback: str, machine_detection: bool = False,
                   timeout_seconds: int = 30, session: Session | None = None) -> str:
        return self._store("call", "CA", to, url, {"status_callback": status_callback,
                                                   "machine_detection": machine_detection,
                                                   "timeout": timeout_seconds}, session)

    def send_sms(self, to: str, body: str, *, status_callback: str | None = None,
                 session: Session | None = None) -> str:
        return self._store("sms", "SM", to, body, {"status_callback": status_callback}, session)

    def update_call(self, call_sid: str, twiml: str) -> None:
        self._store("update", "CU", "", twiml, {"call_sid": call_sid}, None)
        if self.on_update is not None:
            self.on_update(call_sid, twiml)

    def _simulator_file(self, url: str) -> Path:
        path = Path(unquote(urlparse(url).path)).resolve()
        if not path.is_relative_to((self.config.data_dir / "simulator").resolve()):
            raise TelephonyError("console mode reads recordings only from the simulator folder")
        return path

    def delete_recording(self, url: str) -> None:
        """The simulator's copy of a recording is its 'carrier' copy: deleted like Twilio's.
        Console mode has no carrier account, so other URLs are left alone."""
        if urlparse(url).scheme == "file":
            self._simulator_file(url).unlink(missing_ok=True)

    def fetch_recording(self, url: str) -> bytes:
        """Allowed hosts as in Twilio mode, plus `file://` URLs inside the data directory's
        `simulator/` folder, where `assistant call` leaves the WAVs it 'plays'."""
        if urlparse(url).scheme == "file":
            path = self._simulator_file(url)
            try:
                return path.read_bytes()
            except OSError as exc:
                raise TelephonyError(f"reading a recording failed: {exc.strerror}") from exc
        check_media_host(url, self.config.twilio.media_hosts)
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
        except requests.RequestException as exc:
            raise TelephonyError(f"fetching a recording failed: {type(exc).__name__}") from exc
        return response.content
