"""A caller's recording: fetched through the telephony port, kept under the data directory,
and recognised by the speech engine for her language. Nothing said is lost: the file is
kept even when recognition fails, and a failure is reported, never raised."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.private_files import private_dir, write_private
from assistant.runtime import Runtime
from assistant.speech.audio import read_wav
from assistant.speech.engines import recognizer_for
from assistant.speech.errors import SpeechError
from assistant.telephony import TelephonyError

log = logging.getLogger(__name__)
SAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Heard:
    text: str = ""
    confidence: float | None = None
    engine: str = ""
    path: str = ""
    """The stored recording, relative to the data directory ("" if none could be fetched)."""
    problem: str = ""


def recording_path(folder: str, name: str) -> Path:
    """Where a caller's audio is kept, relative to the data directory."""
    return Path("recordings") / SAFE.sub("_", folder) / f"{SAFE.sub('_', name)}.wav"


def save_private(data_dir: Path, relative: Path, data: bytes) -> None:
    """Write health data under `data_dir` readable by this user only (see `private_files`)."""
    target = data_dir / relative
    private_dir(target.parent, data_dir)
    write_private(target, data)


def store(rt: Runtime, url: str, folder: str, name: str) -> tuple[str, bytes | None, str]:
    """Fetch `url` into data_dir/recordings/<folder>/<name>.wav, then delete the carrier's copy
    (audio stays on this machine); (relative path, bytes, problem)."""
    try:
        audio = rt.telephony.fetch_recording(url)
    except TelephonyError as exc:
        log.warning("recording not fetched: %s", exc)
        return "", None, str(exc)
    relative = recording_path(folder, name)
    save_private(rt.config.data_dir, relative, audio)
    try:
        rt.telephony.delete_recording(url)
    except TelephonyError as exc:
        log.warning("recording kept at the carrier: %s", exc)
    return str(relative), audio, ""


def hear(rt: Runtime, url: str, *, folder: str, name: str, lang: str, hints: list[str],
         grammar: list[str] | None = None) -> Heard:
    path, audio, problem = store(rt, url, folder, name)
    if audio is None:
        return Heard(problem=problem)
    try:
        recognizer = recognizer_for(rt.config, lang)
        if recognizer is None:
            return Heard(path=path, problem=f"no speech engine for {lang}")
        transcript = recognizer.transcribe(read_wav(audio), hints=hints, grammar=grammar)
    except SpeechError as exc:
        log.warning("recording not recognised: %s", exc)
        return Heard(path=path, problem=str(exc))
    return Heard(text=transcript.text, confidence=transcript.confidence, engine=transcript.engine, path=path)
