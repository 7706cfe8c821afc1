"""One call turn by turn, what came of it, and its recordings (every play audited)."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, render_template, request, send_file
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from assistant.db.models import ORDER_MODELS, Call, HelpRequest, SmsMessage, Turn
from assistant.services import audit
from assistant.web import runtime
from assistant.web.dashboard.auth import actor

bp = Blueprint("calls", __name__)
AUDIO_TYPES = {".wav": "audio/wav", ".mp3": "audio/mpeg", ".ogg": "audio/ogg"}


@bp.get("/calls/<int:call_id>")
def show(call_id: int) -> ResponseReturnValue:
    with runtime().db.session() as db:
        call = db.scalar(select(Call).options(joinedload(Call.elder), selectinload(Call.turns))
                         .where(Call.id == call_id))
        if call is None:
            abort(404)
        help_requests = list(db.scalars(select(HelpRequest).where(HelpRequest.call_id == call_id)))
        alerts = list(db.scalars(select(SmsMessage).where(
            SmsMessage.help_request_id.in_([h.id for h in help_requests]))
            .order_by(SmsMessage.created_at))) if help_requests else []
        orders = [(kind, order) for kind, model in ORDER_MODELS.items()
                  for order in db.scalars(select(model).where(model.call_id == call_id))]
    return render_template("dashboard/call.html", call=call, help_requests=help_requests,
                           alerts=alerts, orders=orders)


def recording_file(turn: Turn) -> Path | None:
    """The turn's recording inside the data directory, or None (never a path outside it)."""
    if not turn.recording_path:
        return None
    root = runtime().config.data_dir.resolve()
    path = (root / turn.recording_path).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def _starts_playing() -> bool:
    """A player fetches a file in pieces; only the first piece counts as one play."""
    asked = request.headers.get("Range", "")
    return not asked or asked.replace(" ", "").startswith("bytes=0-")


@bp.get("/recordings/<int:turn_id>")
def recording(turn_id: int) -> ResponseReturnValue:
    with runtime().db.session() as db:
        turn = db.get(Turn, turn_id)
        path = recording_file(turn) if turn else None
        if path is None:
            abort(404)
        if _starts_playing():
            audit.record(db, actor(), "recording.played", "turn", turn_id,
                         call_id=turn.call_id, file=turn.recording_path)
    response = send_file(path, mimetype=AUDIO_TYPES.get(path.suffix.lower(), "application/octet-stream"),
                         conditional=True, max_age=0)
    response.headers["Cache-Control"] = "no-store, private"
    return response
