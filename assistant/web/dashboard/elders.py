"""`/elders`: who we look after — the list, and each elder's profile, history and 30 days."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from assistant.db.models import ORDER_MODELS, Call, Elder, HelpRequest, MealMenuItem, SmsMessage, SmsOptOut
from assistant.web import runtime
from assistant.web.dashboard.forms import page_arg
from assistant.web.dashboard import history
from assistant.web.dashboard.formatting import local_today
from assistant.web.dashboard.log_query import contains

PAGE_SIZE = 50
HISTORY_SIZE = 15
bp = Blueprint("elders", __name__)


@bp.get("/elders")
def index() -> ResponseReturnValue:
    q = request.args.get("q", "").strip()[:120]
    page = page_arg()
    query = select(Elder).options(joinedload(Elder.doctor)).order_by(Elder.name, Elder.id)
    if q:
        query = query.where(or_(contains(Elder.name, q), contains(Elder.phone, q)))
    with runtime().db.session() as db:
        elders = list(db.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return render_template("dashboard/elders.html", elders=elders[:PAGE_SIZE], q=q, page=page,
                           has_more=len(elders) > PAGE_SIZE)


@bp.get("/elders/<int:elder_id>")
def show(elder_id: int) -> ResponseReturnValue:
    with runtime().db.session() as db:
        elder = db.scalar(select(Elder).options(joinedload(Elder.doctor), selectinload(Elder.contacts),
                                                selectinload(Elder.medications))
                          .where(Elder.id == elder_id))
        if elder is None:
            abort(404)
        phones = [elder.phone] + [c.phone for c in elder.contacts]
        opted_out = {o.phone: o for o in db.scalars(select(SmsOptOut).where(SmsOptOut.phone.in_(phones)))}
        diet = db.scalar(select(MealMenuItem).where(MealMenuItem.code == elder.diet)) if elder.diet else None
        calls = list(db.scalars(select(Call).where(Call.elder_id == elder_id)
                                .order_by(Call.started_at.desc()).limit(HISTORY_SIZE)))
        messages = list(db.scalars(select(SmsMessage).where(SmsMessage.elder_id == elder_id)
                                   .order_by(SmsMessage.created_at.desc()).limit(HISTORY_SIZE)))
        help_requests = list(db.scalars(select(HelpRequest).where(HelpRequest.elder_id == elder_id)
                                        .order_by(HelpRequest.created_at.desc()).limit(HISTORY_SIZE)))
        orders = sorted(((kind, order) for kind, model in ORDER_MODELS.items()
                         for order in db.scalars(select(model).where(model.elder_id == elder_id)
                                                 .order_by(model.created_at.desc()).limit(HISTORY_SIZE))),
                        key=lambda pair: pair[1].created_at, reverse=True)[:HISTORY_SIZE]
        days = history.last_days(db, elder, local_today(ZoneInfo(elder.timezone)))
    return render_template("dashboard/elder.html", elder=elder, opted_out=opted_out, diet=diet,
                           calls=calls, messages=messages, help_requests=help_requests,
                           orders=orders, days=days)
