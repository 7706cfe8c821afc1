"""Recordings are health data: kept readable by this user only."""
from __future__ import annotations

import stat

from assistant.runtime import Runtime
from assistant.services.recordings import store


def test_a_stored_recording_and_its_folders_are_private(runtime: Runtime) -> None:
    simulator = runtime.config.data_dir / "simulator"
    simulator.mkdir(parents=True)
    (simulator / "said.wav").write_bytes(b"RIFF....WAVE")
    relative, audio, problem = store(runtime, (simulator / "said.wav").as_uri(), "CA1", "step-1")
    assert problem == "" and audio
    path = runtime.config.data_dir / relative
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent, runtime.config.data_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
