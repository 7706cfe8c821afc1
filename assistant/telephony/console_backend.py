"""Console mode: nothing leaves the machine. Calls and SMS go to the `outbox` table and stdout."""
from __future__ import annotations

import secrets
import sys
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

    def __init__(self, config: Config, db: Database, out: TextIO | None = None) -> None:
        self.config = config
        self.db = db
        self.out = out

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

    def fetch_recording(self, url: str) -> bytes:
        """Allowed hosts as in Twilio mode, plus `file://` URLs inside the data directory's
        `simulator/` folder, where `assistant call` leaves the WAVs it 'plays'."""
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            allowed = (self.config.data_dir / "simulator").resolve()
            if not path.is_relative_to(allowed):
                raise TelephonyError("console mode reads recordings only from the simulator folder")
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
