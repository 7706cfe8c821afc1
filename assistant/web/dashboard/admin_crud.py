"""The one way admin pages create and edit records: a form, a save that audits, a redirect.

Unique names, phones and codes are left to the database's constraints; a clash comes back
as a form error instead of a crash.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db.base import Base
from assistant.services.directory_edit import save
from assistant.web import runtime
from assistant.web.dashboard.auth import actor
from assistant.web.dashboard.forms import model_values
from assistant.web.dashboard.i18n import t

Values = tuple[dict[str, Any], dict[str, Any]]
"""What to store, and what to store without writing it to the audit log (secrets)."""


def plain_values(form: FlaskForm) -> Values:
    return model_values(form), {}


def edit(model: type[Base], form_class: type[FlaskForm], record_id: int | None, *, title: str,
         back: Callable[[Any], str], prepare: Callable[[FlaskForm, Session], None] | None = None,
         values: Callable[[FlaskForm], Values] = plain_values,
         fixed: dict[str, Any] | None = None, template: str = "dashboard/admin/form.html", **context: Any) -> ResponseReturnValue:
    """GET shows the form filled from the record (or empty for a new one); POST saves it.

    `fixed` values are stored whatever the form says (a contact's elder).
    """
    db = runtime().db
    with db.session() as session:
        record = session.get(model, record_id) if record_id else model()
        if record is None:
            abort(404)
        form = form_class(obj=record if record_id else None)
        if prepare:
            prepare(form, session)
    if form.validate_on_submit():
        stored, secret = values(form)
        try:
            with db.session() as session:
                record = session.get(model, record_id) if record_id else model()
                save(session, record, {**stored, **(fixed or {})}, actor=actor(), secret=secret)
        except IntegrityError:
            form.form_errors.append(t("error.duplicate"))
        else:
            flash(t("admin.saved"))
            return redirect(back(record))
    return render_template(template, form=form, title=title, record=record, **context)
