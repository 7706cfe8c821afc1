"""Callers' audio is kept `voice.audio_retention_days`, then deleted: the files under
data_dir/recordings, and the call log's links to them (the call page then shows no player)."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from assistant.db.models import Turn
from assistant.runtime import Runtime
from assistant.services.tasks import chunks

log = logging.getLogger(__name__)
BATCH = 500


def expired_audio(data_dir: Path, before: datetime) -> list[Path]:
    """Files under data_dir/recordings last written before `before`, relative to data_dir."""
    root = data_dir / "recordings"
    if not root.is_dir():
        return []
    cutoff = before.timestamp()
    return sorted(path.relative_to(data_dir) for path in root.rglob("*")
                  if path.is_file() and path.stat().st_mtime < cutoff)


def purge_expired_audio(rt: Runtime, now: datetime) -> int:
    """Delete audio older than the retention period; returns how many files went."""
    data_dir = rt.config.data_dir
    expired = expired_audio(data_dir, now - timedelta(days=rt.config.voice.audio_retention_days))
    for batch in chunks(expired, BATCH):
        with rt.db.session() as session:
            session.execute(update(Turn).where(Turn.recording_path.in_([str(p) for p in batch]))
                            .values(recording_path=""))
        for relative in batch:
            (data_dir / relative).unlink(missing_ok=True)
    for folder in sorted({(data_dir / p).parent for p in expired}, reverse=True):
        try:
            folder.rmdir()
        except OSError:
            pass  # still holds newer audio
    if expired:
        log.info("deleted %d audio file(s) older than %d days", len(expired), rt.config.voice.audio_retention_days)
    return len(expired)
