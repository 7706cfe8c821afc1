"""Callers' audio is kept `voice.audio_retention_days` (90 by default), then the scheduler
deletes it and the call log forgets the link."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from assistant.db.models import Call, Turn
from assistant.runtime import Runtime
from assistant.clock import ManualClock
from assistant.scheduler.service import Scheduler

NOW = datetime(2024, 6, 3, 12, 0, tzinfo=timezone.utc)


def recording(rt: Runtime, relative: str, age: timedelta) -> None:
    path = rt.config.data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"RIFF....WAVE")
    written = (NOW - age).timestamp()
    os.utime(path, (written, written))


def test_audio_past_its_retention_is_deleted_and_unlinked_from_the_call_log(runtime: Runtime) -> None:
    recording(runtime, "recordings/CAold/stream-1.wav", timedelta(days=91))
    recording(runtime, "recordings/CAold/step-1.wav", timedelta(days=90, minutes=1))
    recording(runtime, "recordings/CAnew/stream-1.wav", timedelta(days=89))
    with runtime.db.session() as session:
        call = Call(call_sid="CAold")
        session.add(call)
        session.flush()
        session.add_all([Turn(call_id=call.id, position=0, recording_path="recordings/CAold/stream-1.wav"),
                         Turn(call_id=call.id, position=1, recording_path="recordings/CAnew/stream-1.wav")])
    runtime.clock = clock = ManualClock(NOW)
    result = Scheduler(runtime, holder="test", lease_clock=clock).tick()
    assert result.audio_deleted == 2
    data = runtime.config.data_dir
    assert not (data / "recordings/CAold").exists()
    assert (data / "recordings/CAnew/stream-1.wav").is_file()
    with runtime.db.session() as session:
        assert list(session.scalars(select(Turn.recording_path).order_by(Turn.position))) == [
            "", "recordings/CAnew/stream-1.wav"]


def test_the_retention_period_is_a_config_key_and_the_job_runs_hourly(runtime: Runtime) -> None:
    runtime.config.voice.audio_retention_days = 7
    runtime.clock = clock = ManualClock(NOW)
    scheduler = Scheduler(runtime, holder="test", lease_clock=clock)
    assert scheduler.tick().audio_deleted == 0
    recording(runtime, "recordings/CA1/stream-1.wav", timedelta(days=8))
    clock.advance(60)
    assert scheduler.tick().audio_deleted == 0     # the job ran a minute ago
    clock.advance(3600)
    assert scheduler.tick().audio_deleted == 1
