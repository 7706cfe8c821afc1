"""Admin: volunteers (who may sign in, with which role) and the on-call rota's order."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from assistant.db.models import Volunteer
from assistant.passwords import hash_password
from assistant.services import audit
from assistant.web import runtime
from assistant.web.dashboard.admin_crud import Values, edit
from assistant.web.dashboard.auth import actor, admins_only
from assistant.web.dashboard.forms import VolunteerForm, model_values
from assistant.web.dashboard.i18n import t

bp = Blueprint("admin_people", __name__, url_prefix="/admin")
admins_only(bp)


@bp.get("/volunteers")
def volunteers() -> ResponseReturnValue:
    with runtime().db.session() as db:
        people = list(db.scalars(select(Volunteer).order_by(Volunteer.active.desc(), Volunteer.name)))
    rota = sorted((v for v in people if v.on_call and v.active), key=lambda v: (v.on_call_order, v.id))
    return render_template("dashboard/admin/volunteers.html", volunteers=people, rota=rota)


def _volunteer_values(form: VolunteerForm) -> Values:
    stored = model_values(form, "new_password")
    stored["email"] = (stored["email"] or "").strip().lower() or None
    secret = {"password_hash": hash_password(form.new_password.data)} if form.new_password.data else {}
    return stored, secret


@bp.route("/volunteers/new", methods=["GET", "POST"], defaults={"volunteer_id": None})
@bp.route("/volunteers/<int:volunteer_id>", methods=["GET", "POST"])
def volunteer(volunteer_id: int | None) -> ResponseReturnValue:
    return edit(Volunteer, VolunteerForm, volunteer_id,
                title="admin.volunteer_edit" if volunteer_id else "admin.volunteer_new",
                back=lambda _: url_for("dashboard.admin_people.volunteers"), values=_volunteer_values)


@bp.post("/rota/<int:volunteer_id>/<any(up, down):direction>")
def move(volunteer_id: int, direction: str) -> ResponseReturnValue:
    """Swap a volunteer with the one above or below in the rota, then number it 0, 1, 2..."""
    with runtime().db.session() as db:
        rota = list(db.scalars(select(Volunteer).where(Volunteer.on_call.is_(True),
                                                       Volunteer.active.is_(True))
                               .order_by(Volunteer.on_call_order, Volunteer.id)))
        index = next((i for i, v in enumerate(rota) if v.id == volunteer_id), None)
        other = None if index is None else index + (-1 if direction == "up" else 1)
        if index is not None and other is not None and 0 <= other < len(rota):
            rota[index], rota[other] = rota[other], rota[index]
            for position, person in enumerate(rota):
                person.on_call_order = position
            audit.record(db, actor(), "rota.changed", "volunteer", volunteer_id,
                         order=[v.id for v in rota])
            flash(t("admin.rota_changed"))
    return redirect(url_for("dashboard.admin_people.volunteers"))
