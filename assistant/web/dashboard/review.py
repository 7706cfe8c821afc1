"""`/review`: turns nobody understood or only half did. A volunteer listens, types what was
said and picks the intent; the matcher learns from it via `assistant intents export-corrections`."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from assistant.db.models import Call, Turn
from assistant.services import review as review_service
from assistant.web import runtime
from assistant.web.dashboard.auth import actor
from assistant.web.dashboard.forms import CorrectionForm, options, page_arg
from assistant.web.dashboard.i18n import t

PAGE_SIZE = 20
NOTHING_FITS = "none"
bp = Blueprint("review", __name__)


def correction_form(turn_id: int, turn: Turn | None = None) -> CorrectionForm:
    """One form per turn on the page, prefixed so that field ids stay unique."""
    form = CorrectionForm(prefix=f"turn{turn_id}", data={
        "text": turn.transcript, "intent": turn.intent or NOTHING_FITS} if turn else None)
    form.intent.choices = options([(name, f"intent.{name}") for name in review_service.intent_names()]
                                  + [(NOTHING_FITS, "intent.none")])
    return form


@bp.get("/review")
def index() -> ResponseReturnValue:
    page = page_arg()
    with runtime().db.session() as db:
        turns = list(db.scalars(
            select(Turn).options(joinedload(Turn.call).joinedload(Call.elder))
            .where(Turn.needs_review.is_(True)).order_by(Turn.created_at, Turn.id)
            .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    forms = {turn.id: correction_form(turn.id, turn) for turn in turns[:PAGE_SIZE]}
    return render_template("dashboard/review.html", turns=turns[:PAGE_SIZE], forms=forms, page=page,
                           has_more=len(turns) > PAGE_SIZE)


@bp.post("/review/<int:turn_id>")
def correct(turn_id: int) -> ResponseReturnValue:
    form = correction_form(turn_id)
    if not form.validate():
        flash(t("review.invalid"))
        return redirect(url_for("dashboard.review.index", _anchor=f"turn-{turn_id}"))
    with runtime().db.session() as db:
        turn = db.get(Turn, turn_id)
        if turn is None:
            abort(404)
        intent = None if form.intent.data == NOTHING_FITS else form.intent.data
        review_service.correct(db, turn, text=form.text.data or "", intent=intent,
                               volunteer=g.volunteer, actor=actor())
    flash(t("review.saved"))
    return redirect(url_for("dashboard.review.index"))
