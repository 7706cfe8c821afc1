"""`/orders`: appointments, meals and purchases moving through requested -> dispatched ->
accepted -> done (or cancelled), with who moved each one and when."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from assistant.db.models import OPEN_ORDER_STATUSES, ORDER_MODELS, OrderKind, OrderStatus
from assistant.services import order_states
from assistant.web import runtime
from assistant.web.dashboard.auth import actor
from assistant.web.dashboard.i18n import t
from assistant.web.dashboard.urls import local_or

PAGE_SIZE = 50
SHOWN_WITH = {OrderKind.APPOINTMENT: ("doctor",), OrderKind.MEAL: ("menu_item",), OrderKind.PURCHASE: ()}
bp = Blueprint("orders", __name__)


@bp.get("/orders")
def index() -> ResponseReturnValue:
    kind = request.args.get("kind", "meal")
    status = request.args.get("status", "open")
    page = max(request.args.get("page", 1, type=int), 1)
    if kind not in ORDER_MODELS or status not in ("open", "all", *OrderStatus):
        abort(400)
    model = ORDER_MODELS[kind]
    query = select(model).options(joinedload(model.elder),
                                  *(joinedload(getattr(model, name)) for name in SHOWN_WITH[kind]))
    if status == "open":
        query = query.where(model.status.in_(OPEN_ORDER_STATUSES)).order_by(model.id)
    else:
        if status != "all":
            query = query.where(model.status == status)
        query = query.order_by(model.id.desc())
    with runtime().db.session() as db:
        found = list(db.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return render_template("dashboard/orders.html", orders=found[:PAGE_SIZE], kind=kind, status=status,
                           page=page, has_more=len(found) > PAGE_SIZE, statuses=list(OrderStatus),
                           kinds=ORDER_MODELS, next_status=order_states.NEXT_STATUS)


@bp.post("/orders/<kind>/<int:order_id>/<to_status>")
def move(kind: str, order_id: int, to_status: str) -> ResponseReturnValue:
    model = ORDER_MODELS.get(kind)  # type: ignore[call-overload]
    if model is None or to_status not in set(OrderStatus):
        abort(404)
    with runtime().db.session() as db:
        order = db.get(model, order_id)
        if order is None:
            abort(404)
        try:
            order_states.move(db, order, OrderStatus(to_status), actor=actor(), handled_by=g.volunteer.name,
                              now=runtime().clock.now())
            flash(t("orders.moved", id=order_id, status=t(f"status.{to_status}")))
        except order_states.OrderTransitionError:
            flash(t("orders.cannot_move", id=order_id))
    return redirect(local_or(request.form.get("next"), url_for("dashboard.orders.index", kind=kind)))
