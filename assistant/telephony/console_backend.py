"""Console mode: nothing leaves the machine. Calls and SMS are printed; the outbox keeps them."""
from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlparse

from assistant.config import Config
from assistant.phones import mask
from assistant.telephony import media
from assistant.telephony.port import TelephonyError


class ConsoleTelephony:
    mode = "console"

    def __init__(self, config: Config, out: TextIO | None = None) -> None:
        self.config = config
        self.out = out

    def _print(self, kind: str, prefix: str, to: str, body: str) -> str:
        print(f"[outbox] {kind} to {mask(to)}: {body}", file=self.out or sys.stdout, flush=True)
        return prefix + secrets.token_hex(16)

    def place_call(self, to: str, url: str, *, status_callback: str, machine_detection: bool = False,
                   timeout_seconds: int = 30) -> str:
        return self._print("call", "CA", to, url)

    def send_sms(self, to: str, body: str, *, status_callback: str | None = None) -> str:
        return self._print("sms", "SM", to, body)

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
        return media.fetch(url, self.config.twilio)
