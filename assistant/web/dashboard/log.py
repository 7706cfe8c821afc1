"""`/log`: every call and SMS, searchable and filtered, a page at a time."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from wtforms import SelectChoice

from assistant.services.review import intent_names
from assistant.web import runtime
from assistant.web.dashboard import log_query
from assistant.web.dashboard.formatting import local_today, local_zone
from assistant.web.dashboard.forms import LogFilterForm, options

bp = Blueprint("log", __name__)


def intent_choices() -> list[SelectChoice]:
    return options([("", "filter.any")] + [(name, f"intent.{name}") for name in intent_names()])


@bp.get("/log")
def index() -> ResponseReturnValue:
    form = LogFilterForm()
    form.intent.choices = intent_choices()
    zone = local_zone()
    if not form.validate():
        return render_template("dashboard/log.html", form=form, rows=[], page=1, has_more=False), 400
    default_from, default_to = log_query.default_range(local_today(zone))
    form.date_from.data = form.date_from.data or default_from
    form.date_to.data = form.date_to.data or default_to
    filters = log_query.LogFilter(
        date_from=form.date_from.data, date_to=form.date_to.data, who=form.who.data or "",
        channel=form.channel.data or "", intent=form.intent.data or "",
        outcome=form.outcome.data or "", attention=bool(form.attention.data),
        text=form.text.data or "", page=form.page.data or 1)
    with runtime().db.session() as db:
        rows, has_more = log_query.search(db, filters, zone)
    return render_template("dashboard/log.html", form=form, rows=rows, page=filters.page,
                           has_more=has_more)
