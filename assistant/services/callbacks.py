"""Calling back a hotline caller who hung up before the greeting (once, and not forever)."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.config import Config
from assistant.db.models import Call, OutboundTask, TaskKind
from assistant.db.upsert import insert_ignoring_conflicts
from assistant.phones import mask
from assistant.services.calling_hours import local_date, zone
from assistant.services.tasks import TaskKey, task_row

log = logging.getLogger(__name__)

SHORT_CALL_SECONDS = 10
MAX_CALLBACKS_A_DAY = 3
"""A number that hangs up this often in 24 hours is not called back again (a prank, a fault)."""


def _she_answered(call: Call) -> bool:
    """Whether the caller said or pressed anything (every call has the greeting's turn)."""
    return any(turn.transcript or turn.digits or turn.recording_path for turn in call.turns)


def after_inbound_call(session: Session, config: Config, call: Call, now: datetime) -> OutboundTask | None:
    """Plan a call back if `call` (a completed hotline call) ended before anything was said."""
    if (call.purpose != "hotline" or call.status != "completed" or not call.from_number
            or (call.duration_seconds or 0) >= SHORT_CALL_SECONDS or _she_answered(call)):
        return None
    phone = call.from_number
    recent = session.scalar(select(func.count()).select_from(OutboundTask).where(
        OutboundTask.kind == TaskKind.CALLBACK, OutboundTask.key.startswith(f"{phone}:{TaskKind.CALLBACK}:"),
        OutboundTask.created_at >= now - timedelta(hours=24))) or 0
    if recent >= MAX_CALLBACKS_A_DAY:
        log.info("not calling %s back: %d call-backs in 24 hours", mask(phone), recent)
        return None
    tz = zone(call.elder.timezone if call.elder else config.organization.default_timezone)
    key = TaskKey(phone, TaskKind.CALLBACK, local_date(now, tz), call.call_sid)
    insert_ignoring_conflicts(session, OutboundTask, [task_row(
        key, elder_id=call.elder_id, due_at=now, channel="call",
        payload={"phone": phone, "call_sid": call.call_sid}, now=now)], ["key"])
    return session.scalars(select(OutboundTask).where(OutboundTask.key == str(key))).one()
