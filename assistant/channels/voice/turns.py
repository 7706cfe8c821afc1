"""The call log: a turn per question, with what the caller said or pressed, what it was
understood as, how long the answer took, and whether a person should listen to it.

A turn is written when its question is asked, and filled in at the next step. A turn goes to
the volunteers' review queue when its recording could not be heard, or when what was heard
was not understood or only unsurely (nothing said and nothing to listen to is not reviewed).
"""
from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Call, Turn
from assistant.dialog.model import Inbound, Reply
from assistant.services.recordings import Heard

REVIEW_BELOW = 0.6
"""Turns understood with less confidence than this go to the volunteers' review queue."""


def log_answer(session: Session, call: Call, inbound: Inbound, heard: Heard, recording_sid: str) -> Turn | None:
    """Fill in the last question's turn with what the caller did; None before the first question."""
    answered = session.scalars(select(Turn).where(Turn.call_id == call.id)
                               .order_by(Turn.position.desc()).limit(1)).first()
    if answered is None:
        return None
    answered.transcript, answered.digits, answered.engine = heard.text, inbound.digits, heard.engine
    answered.recording_path = heard.path
    answered.recording_sid = recording_sid[:64]
    answered.needs_review = bool(heard.problem) or (bool(heard.path) and not heard.text and not inbound.digits)
    return answered


def log_question(session: Session, call: Call, position: int, state: str, reply: Reply, answered: Turn | None,
                 lines: list[str], started: float) -> None:
    """Record how the last answer was understood and the question asked now."""
    if answered is not None:
        answered.intent, answered.confidence = reply.intent, reply.confidence
        unsure = not reply.understood or (reply.confidence is not None and reply.confidence < REVIEW_BELOW)
        answered.needs_review = answered.needs_review or (
            unsure and bool(answered.transcript or answered.recording_path))
        answered.latency_ms = int((time.perf_counter() - started) * 1000)
        call.flagged = call.flagged or answered.needs_review
    session.add(Turn(call_id=call.id, position=position, state=state, prompt=" ".join(lines)))
