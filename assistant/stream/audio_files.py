"""Each utterance heard on a stream, kept as a WAV file under the data directory (mode 0600):
for the call log, the review queue and the call page's player."""
from __future__ import annotations

import io
import wave

from assistant.config import Config
from assistant.services.recordings import recording_path, save_private
from assistant.stream.messages import SAMPLE_RATE


def save_utterance(config: Config, call_sid: str, number: int, pcm16: bytes) -> str:
    """Write 8 kHz 16-bit mono `pcm16`; returns its path relative to `data_dir`."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm16)
    relative = recording_path(call_sid, f"stream-{number}")
    save_private(config.data_dir, relative, buffer.getvalue())
    return str(relative)
