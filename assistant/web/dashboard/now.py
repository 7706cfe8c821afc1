"""The Now page and the four things a volunteer does to a help request: acknowledge,
assign, add a note, resolve — each one button on the card."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from assistant.db.models import HelpRequest, Volunteer
from assistant.services import help as help_service
from assistant.services import help_desk
from assistant.web import runtime
from assistant.web.dashboard import board
from assistant.web.dashboard.auth import actor
from assistant.web.dashboard.forms import AssignForm, NoteForm, ResolveForm
from assistant.web.dashboard.i18n import t

REFRESH_SECONDS = 30
bp = Blueprint("now", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    with runtime().db.session() as db:
        data = board.build(db, runtime().clock.now())
    template = "dashboard/_board.html" if request.args.get("auto") else "dashboard/now.html"
    return render_template(template, board=data, refresh_seconds=REFRESH_SECONDS, limit=board.LIMIT,
                           help_limit=board.HELP_LIMIT,
                           note_form=NoteForm(), resolve_form=ResolveForm(), assign_form=AssignForm())


def _request(db: Session, request_id: int) -> HelpRequest:
    found = db.get(HelpRequest, request_id)
    if found is None:
        abort(404)
    return found


def _back(request_id: int) -> ResponseReturnValue:
    return redirect(url_for("dashboard.now.index", _anchor=f"help-{request_id}"))


@bp.post("/help/<int:request_id>/acknowledge")
def acknowledge(request_id: int) -> ResponseReturnValue:
    with runtime().db.session() as db:
        try:
            help_service.acknowledge(db, _request(db, request_id), g.volunteer, actor=actor(),
                                     now=runtime().clock.now())
            flash(t("help.acknowledged_done", id=request_id))
        except help_service.HelpRequestClosed:
            flash(t("help.already_handled", id=request_id))
    return _back(request_id)


@bp.post("/help/<int:request_id>/resolve")
def resolve(request_id: int) -> ResponseReturnValue:
    form = ResolveForm()
    if not form.validate():
        abort(400)
    with runtime().db.session() as db:
        try:
            help_service.resolve(db, _request(db, request_id), g.volunteer, actor=actor(),
                                 now=runtime().clock.now(), note=form.note.data or "")
            flash(t("help.resolved_done", id=request_id))
        except help_service.HelpRequestClosed:
            flash(t("help.already_handled", id=request_id))
    return _back(request_id)


@bp.post("/help/<int:request_id>/assign")
def assign(request_id: int) -> ResponseReturnValue:
    form = AssignForm()
    if not form.validate():
        abort(400)
    with runtime().db.session() as db:
        volunteer = db.get(Volunteer, form.volunteer_id.data) if form.volunteer_id.data else None
        help_desk.assign(db, _request(db, request_id), volunteer, actor=actor())
    flash(t("help.assigned_done", id=request_id))
    return _back(request_id)


@bp.post("/help/<int:request_id>/note")
def note(request_id: int) -> ResponseReturnValue:
    form = NoteForm()
    if form.validate():
        with runtime().db.session() as db:
            help_desk.add_note(db, _request(db, request_id), form.note.data or "",
                               author=g.volunteer, actor=actor(), now=runtime().clock.now())
        flash(t("help.noted_done", id=request_id))
    return _back(request_id)
