"""Console mode: nothing leaves the machine. Calls and SMS are printed; the outbox keeps them.
A call update is printed too, or followed by the simulator's phone (`on_update`)."""
from __future__ import annotations

import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlparse

from assistant.config import Config
from assistant.phones import mask
from assistant.telephony import media
from assistant.telephony.port import TelephonyError


class ConsoleTelephony:
    mode = "console"

    def __init__(self, config: Config, out: TextIO | None = None,
                 on_update: Callable[[str, str], None] | None = None) -> None:
        self.config = config
        self.out = out
        self.on_update = on_update
        """Told (call SID, TwiML) of every call update: the simulator's phone follows it."""

    def _print(self, kind: str, prefix: str, to: str, body: str) -> str:
        print(f"[outbox] {kind} to {mask(to)}: {body}", file=self.out or sys.stdout, flush=True)
        return prefix + secrets.token_hex(16)

    def place_call(self, to: str, url: str, *, status_callback: str, machine_detection: bool = False,
                   timeout_seconds: int = 30) -> str:
        return self._print("call", "CA", to, url)

    def send_sms(self, to: str, body: str, *, status_callback: str | None = None) -> str:
        return self._print("sms", "SM", to, body)

    def update_call(self, call_sid: str, twiml: str) -> None:
        """Printed, or told to the simulator's phone, which shows what it then says."""
        if self.on_update is not None:
            self.on_update(call_sid, twiml)
        else:
            print(f"[update] call {call_sid}: {twiml}", file=self.out or sys.stdout, flush=True)

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
            try:
                return self._simulator_file(url).read_bytes()
            except OSError as exc:
                raise TelephonyError(f"reading a recording failed: {exc.strerror}") from exc
        return media.fetch(url, self.config.twilio)
