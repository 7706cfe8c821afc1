"""Admin: doctors, the meal provider and the meal menu."""
from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from assistant.db.models import Doctor, MealMenuItem, MealProvider
from assistant.web import runtime
from assistant.web.dashboard.admin_crud import edit
from assistant.web.dashboard.auth import admins_only
from assistant.web.dashboard.forms import DoctorForm, MenuItemForm, ProviderForm

bp = Blueprint("admin_directory", __name__, url_prefix="/admin")
admins_only(bp)


@bp.get("/doctors")
def doctors() -> ResponseReturnValue:
    with runtime().db.session() as db:
        found = list(db.scalars(select(Doctor).order_by(Doctor.name)))
    return render_template("dashboard/admin/doctors.html", doctors=found)


@bp.route("/doctors/new", methods=["GET", "POST"], defaults={"doctor_id": None})
@bp.route("/doctors/<int:doctor_id>", methods=["GET", "POST"])
def doctor(doctor_id: int | None) -> ResponseReturnValue:
    return edit(Doctor, DoctorForm, doctor_id, title="admin.doctor",
                back=lambda _: url_for("dashboard.admin_directory.doctors"))


@bp.get("/meals")
def meals() -> ResponseReturnValue:
    with runtime().db.session() as db:
        providers = list(db.scalars(select(MealProvider).order_by(MealProvider.name)))
        menu = list(db.scalars(select(MealMenuItem).order_by(MealMenuItem.position, MealMenuItem.code)))
    return render_template("dashboard/admin/meals.html", providers=providers, menu=menu)


@bp.route("/meals/providers/new", methods=["GET", "POST"], defaults={"provider_id": None})
@bp.route("/meals/providers/<int:provider_id>", methods=["GET", "POST"])
def provider(provider_id: int | None) -> ResponseReturnValue:
    return edit(MealProvider, ProviderForm, provider_id, title="admin.provider",
                back=lambda _: url_for("dashboard.admin_directory.meals"))


@bp.route("/meals/menu/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/meals/menu/<int:item_id>", methods=["GET", "POST"])
def menu_item(item_id: int | None) -> ResponseReturnValue:
    return edit(MealMenuItem, MenuItemForm, item_id, title="admin.menu_item",
                back=lambda _: url_for("dashboard.admin_directory.meals"))
