"""`/export`: calls, messages or orders for a date range as CSV, streamed row by row."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from assistant.db.models import ORDER_MODELS, Call, OrderKind, SmsMessage
from assistant.services import audit
from assistant.web import runtime
from assistant.web.dashboard.auth import actor
from assistant.web.dashboard.formatting import local_today, local_zone
from assistant.web.dashboard.forms import ExportForm
from assistant.web.dashboard.log_query import default_range, utc_bounds

BATCH = 1000
bp = Blueprint("export", __name__)

CALL_COLUMNS = ["id", "started_at", "direction", "purpose", "elder_id", "elder", "from", "to",
                "language", "status", "outcome", "duration_seconds", "flagged"]
MESSAGE_COLUMNS = ["id", "created_at", "direction", "purpose", "elder_id", "elder", "from", "to",
                   "status", "intent", "flagged", "body"]
ORDER_COLUMNS = ["kind", "id", "created_at", "elder_id", "elder", "caller_phone", "status", "what",
                 "day", "dispatched_at", "accepted_at", "done_at", "cancelled_at", "handled_by", "note"]


def _cell(value: Any) -> Any:
    """Defuse spreadsheet formulas ("=cmd|..."), keeping phone numbers such as +1555... as they are."""
    if isinstance(value, str) and value and (
            value[0] in "=@\t\r" or (value[0] in "+-" and not value[1:].isdigit())):
        return "'" + value
    return value


def _calls(db: Session, start: Any, end: Any) -> Iterator[list[Any]]:
    yield CALL_COLUMNS
    for c in db.scalars(select(Call).options(joinedload(Call.elder)).where(
            Call.started_at >= start, Call.started_at < end).order_by(Call.started_at)
            .execution_options(yield_per=BATCH)):
        yield [c.id, c.started_at.isoformat(), c.direction, c.purpose, c.elder_id,
               c.elder.name if c.elder else "", c.from_number, c.to_number, c.language, c.status,
               c.outcome, c.duration_seconds, c.flagged]


def _messages(db: Session, start: Any, end: Any) -> Iterator[list[Any]]:
    yield MESSAGE_COLUMNS
    for m in db.scalars(select(SmsMessage).options(joinedload(SmsMessage.elder)).where(
            SmsMessage.created_at >= start, SmsMessage.created_at < end)
            .order_by(SmsMessage.created_at).execution_options(yield_per=BATCH)):
        yield [m.id, m.created_at.isoformat(), m.direction, m.purpose, m.elder_id,
               m.elder.name if m.elder else "", m.from_number, m.to_number, m.status, m.intent,
               m.flagged, m.body]


def _what(kind: OrderKind, order: Any) -> str:
    if kind == OrderKind.APPOINTMENT:
        return " ".join(filter(None, [order.doctor.name if order.doctor else "", order.part_of_day, order.time]))
    if kind == OrderKind.MEAL:
        return f"{order.meal} x{order.quantity}" + (f" ({order.menu_item.code})" if order.menu_item else "")
    return order.item


def stamp(value: date | datetime | None) -> str:
    return value.isoformat() if value else ""


def _orders(db: Session, start: Any, end: Any) -> Iterator[list[Any]]:
    yield ORDER_COLUMNS
    for kind, model in ORDER_MODELS.items():
        for o in db.scalars(select(model).options(joinedload(model.elder)).where(model.created_at >= start, model.created_at < end)
                            .order_by(model.created_at).execution_options(yield_per=BATCH)):
            yield [kind, o.id, o.created_at.isoformat(), o.elder_id, o.elder.name if o.elder else "",
                   o.caller_phone, o.status, _what(kind, o), stamp(getattr(o, "day", None)),
                   stamp(o.dispatched_at), stamp(o.accepted_at), stamp(o.done_at),
                   stamp(o.cancelled_at), o.handled_by, o.note]


ROWS = {"calls": _calls, "messages": _messages, "orders": _orders}


def _csv(rows: Iterable[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


@bp.get("/export")
def index() -> ResponseReturnValue:
    form = ExportForm()
    zone = local_zone()
    if not request.args:
        form.date_from.data, form.date_to.data = default_range(local_today(zone))
        return render_template("dashboard/export.html", form=form)
    if not form.validate():
        return render_template("dashboard/export.html", form=form), 400
    kind, date_from, date_to = form.kind.data, form.date_from.data, form.date_to.data
    start, end = utc_bounds(date_from, date_to, zone)
    with runtime().db.session() as db:
        audit.record(db, actor(), "export.downloaded", kind, "", date_from=date_from.isoformat(),
                     date_to=date_to.isoformat())

    def generate() -> Iterator[str]:
        with runtime().db.session() as db:
            yield from _csv(ROWS[kind](db, start, end))

    filename = f"{kind}-{date_from.isoformat()}-{date_to.isoformat()}.csv"
    return Response(stream_with_context(generate()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
