"""`/audit` (admins): every change and every recording played — who, what, when."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from assistant.db.models import AuditLog, Volunteer
from assistant.web import runtime
from assistant.web.dashboard.auth import admins_only
from assistant.web.dashboard.forms import AuditFilterForm

PAGE_SIZE = 100
bp = Blueprint("audit_log", __name__)
admins_only(bp)


@bp.get("/audit")
def index() -> ResponseReturnValue:
    form = AuditFilterForm()
    form.validate()
    page = form.page.data if not form.page.errors and form.page.data else 1
    query = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if form.actor.data and not form.actor.errors:
        query = query.where(AuditLog.actor == form.actor.data.strip())
    if form.action.data and not form.action.errors:
        query = query.where(AuditLog.action.startswith(form.action.data.strip(), autoescape=True))
    if form.entity.data and not form.entity.errors:
        query = query.where(AuditLog.entity == form.entity.data.strip())
    with runtime().db.session() as db:
        entries = list(db.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
        names = {f"volunteer:{v.id}": v.name for v in db.scalars(select(Volunteer))}
    return render_template("dashboard/audit.html", form=form, entries=entries[:PAGE_SIZE], names=names,
                           page=page, has_more=len(entries) > PAGE_SIZE)
