"""Admin: an elder's record, contacts and medicines — the same things `assistant import` sets."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Contact, Doctor, Elder, MealMenuItem, Medication
from assistant.services.directory_edit import remove
from assistant.web import runtime
from assistant.web.dashboard.admin_crud import Values, edit
from assistant.web.dashboard.auth import actor, admins_only
from assistant.web.dashboard.forms import (ContactForm, ElderForm, MedicationForm, model_values,
                                           options)
from assistant.web.dashboard.i18n import t

bp = Blueprint("admin_elders", __name__, url_prefix="/admin/elders")
admins_only(bp)
CHILDREN = {"contacts": (Contact, ContactForm, "admin.contact"),
            "medications": (Medication, MedicationForm, "admin.medication")}


def _profile(elder_id: int) -> str:
    return url_for("dashboard.elders.show", elder_id=elder_id)


def _elder_choices(form: ElderForm, session: Session) -> None:
    form.doctor_id.choices = options([(0, "admin.none")] + [
        (d.id, d.name) for d in session.scalars(select(Doctor).order_by(Doctor.name))])
    form.diet.choices = options([("", "admin.none")] + [
        (m.code, m.name) for m in session.scalars(select(MealMenuItem).order_by(MealMenuItem.position))])
    if request.method == "GET":
        form.doctor_id.data = form.doctor_id.data or 0
        form.timezone.data = form.timezone.data or runtime().config.organization.default_timezone
        if form.away_until.data and form.timezone.data:
            local = form.away_until.data.astimezone(ZoneInfo(form.timezone.data))
            form.away_until.data = local.replace(tzinfo=None)


def _elder_values(form: ElderForm) -> Values:
    stored = model_values(form)
    stored["doctor_id"] = stored["doctor_id"] or None
    stored["checkin_time"] = stored["checkin_time"] or None
    away: datetime | None = stored["away_until"]
    stored["away_until"] = away.replace(tzinfo=ZoneInfo(form.timezone.data or "UTC")) if away else None
    return stored, {}


@bp.route("/new", methods=["GET", "POST"], defaults={"elder_id": None})
@bp.route("/<int:elder_id>", methods=["GET", "POST"])
def elder(elder_id: int | None) -> ResponseReturnValue:
    children: dict[str, list[Contact] | list[Medication]] = {}
    if elder_id:
        with runtime().db.session() as db:
            found = db.get(Elder, elder_id)
            if found is None:
                abort(404)
            children = {"contacts": list(found.contacts), "medications": list(found.medications)}
    return edit(Elder, ElderForm, elder_id, title="admin.elder", back=lambda e: _profile(e.id),
                prepare=_elder_choices, values=_elder_values, template="dashboard/admin/elder.html",
                children=children)


@bp.route("/<int:elder_id>/<any(contacts, medications):kind>/new", methods=["GET", "POST"],
          defaults={"child_id": None})
@bp.route("/<int:elder_id>/<any(contacts, medications):kind>/<int:child_id>", methods=["GET", "POST"])
def child(elder_id: int, kind: str, child_id: int | None) -> ResponseReturnValue:
    model, form_class, title = CHILDREN[kind]
    with runtime().db.session() as db:
        record = db.get(model, child_id) if child_id else None
        if db.get(Elder, elder_id) is None or (child_id and (record is None or record.elder_id != elder_id)):
            abort(404)
    return edit(model, form_class, child_id, title=title, fixed={"elder_id": elder_id},
                back=lambda _: url_for("dashboard.admin_elders.elder", elder_id=elder_id))


@bp.post("/<int:elder_id>/<any(contacts, medications):kind>/<int:child_id>/delete")
def delete_child(elder_id: int, kind: str, child_id: int) -> ResponseReturnValue:
    model = CHILDREN[kind][0]
    with runtime().db.session() as db:
        record = db.get(model, child_id)
        if record is None or record.elder_id != elder_id:
            abort(404)
        remove(db, record, actor=actor(), label=record.name)
    flash(t("admin.deleted"))
    return redirect(url_for("dashboard.admin_elders.elder", elder_id=elder_id))
