"""The calls-and-messages log as one query: calls and SMS merged newest first, filtered.

Every search is bounded by a date range (the last week unless chosen), so it walks the
`started_at`/`created_at` indexes and never the whole history; each side is limited
before the two are merged, so a page costs the same on a large database as on a small one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, exists, literal, or_, select, union_all
from sqlalchemy.orm import Session

from assistant.db.models import Call, Elder, SmsMessage, Turn

PAGE_SIZE = 50
DEFAULT_DAYS = 7
LOW_CONFIDENCE = 0.6
"""Below this a recognised intent is shown as doubtful."""


@dataclass(frozen=True)
class LogFilter:
    date_from: date
    date_to: date
    who: str = ""
    channel: str = ""
    intent: str = ""
    outcome: str = ""
    attention: bool = False
    text: str = ""
    page: int = 1


@dataclass(frozen=True)
class LogRow:
    channel: str
    id: int
    at: datetime
    elder_id: int | None
    elder_name: str
    direction: str
    phone: str
    purpose: str
    outcome: str
    flagged: bool
    preview: str


def default_range(today: date) -> tuple[date, date]:
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def utc_bounds(date_from: date, date_to: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Local calendar days [from, to] as a half-open UTC interval."""
    start = datetime.combine(date_from, time(), zone)
    end = datetime.combine(date_to + timedelta(days=1), time(), zone)
    return start, end


def contains(column: Any, text: str) -> ColumnElement[bool]:
    """Case-insensitive substring match with the user's % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def _who(f: LogFilter, elder_column: Any, phone_columns: tuple[Any, ...]) -> ColumnElement[bool]:
    elders = select(Elder.id).where(or_(contains(Elder.name, f.who), contains(Elder.phone, f.who)))
    return or_(elder_column.in_(elders), *(contains(c, f.who) for c in phone_columns))


def _calls(f: LogFilter, start: datetime, end: datetime) -> Select[Any]:
    first_words = (select(Turn.transcript).where(Turn.call_id == Call.id, Turn.transcript != "")
                   .order_by(Turn.position).limit(1).scalar_subquery())
    query = select(literal("call").label("channel"), Call.id, Call.started_at.label("at"),
                   Call.elder_id, Call.direction,
                   Call.from_number.label("phone"), Call.to_number,
                   Call.purpose, Call.outcome, Call.status, Call.flagged,
                   first_words.label("preview")
                   ).where(Call.started_at >= start, Call.started_at < end)
    turn = select(Turn.id).where(Turn.call_id == Call.id)
    if f.who:
        query = query.where(_who(f, Call.elder_id, (Call.from_number, Call.to_number)))
    if f.intent:
        query = query.where(exists(turn.where(or_(Turn.intent == f.intent,
                                                  Turn.corrected_intent == f.intent))))
    if f.outcome:
        query = query.where(or_(Call.outcome == f.outcome, Call.status == f.outcome))
    if f.attention:
        query = query.where(or_(Call.flagged.is_(True), exists(turn.where(
            or_(Turn.needs_review.is_(True), Turn.confidence < LOW_CONFIDENCE)))))
    if f.text:
        query = query.where(exists(turn.where(or_(contains(Turn.transcript, f.text),
                                                  contains(Turn.corrected_text, f.text)))))
    return query.order_by(Call.started_at.desc(), Call.id.desc())


def _messages(f: LogFilter, start: datetime, end: datetime) -> Select[Any]:
    query = select(literal("sms").label("channel"), SmsMessage.id, SmsMessage.created_at.label("at"),
                   SmsMessage.elder_id, SmsMessage.direction, SmsMessage.from_number.label("phone"),
                   SmsMessage.to_number, SmsMessage.purpose, literal("").label("outcome"),
                   SmsMessage.status, SmsMessage.flagged, SmsMessage.body.label("preview")
                   ).where(SmsMessage.created_at >= start, SmsMessage.created_at < end)
    if f.who:
        query = query.where(_who(f, SmsMessage.elder_id, (SmsMessage.from_number, SmsMessage.to_number)))
    if f.intent:
        query = query.where(SmsMessage.intent == f.intent)
    if f.outcome:
        query = query.where(SmsMessage.status == f.outcome)
    if f.attention:
        query = query.where(or_(SmsMessage.flagged.is_(True), SmsMessage.confidence < LOW_CONFIDENCE))
    if f.text:
        query = query.where(contains(SmsMessage.body, f.text))
    return query.order_by(SmsMessage.created_at.desc(), SmsMessage.id.desc())


def search(session: Session, f: LogFilter, zone: ZoneInfo) -> tuple[list[LogRow], bool]:
    """One page of the log, newest first, and whether an older page exists."""
    start, end = utc_bounds(f.date_from, f.date_to, zone)
    depth = f.page * PAGE_SIZE + 1
    sides = [q.limit(depth).subquery() for channel, q in
             (("call", _calls(f, start, end)), ("sms", _messages(f, start, end)))
             if f.channel in ("", channel)]
    merged = union_all(*(select(side) for side in sides)).subquery() if len(sides) > 1 else sides[0]
    rows = list(session.execute(select(merged).order_by(merged.c.at.desc(), merged.c.id.desc())
                                .offset((f.page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    names = dict(session.execute(select(Elder.id, Elder.name).where(
        Elder.id.in_({r.elder_id for r in rows if r.elder_id is not None}))).tuples().all())
    page = [LogRow(channel=r.channel, id=r.id, at=r.at, elder_id=r.elder_id,
                   elder_name=names.get(r.elder_id, ""), direction=r.direction,
                   phone=r.phone if r.direction == "inbound" else r.to_number,
                   purpose=r.purpose, outcome=r.outcome or r.status, flagged=r.flagged,
                   preview=(r.preview or "")[:160]) for r in rows[:PAGE_SIZE]]
    return page, len(rows) > PAGE_SIZE
