"""Sign-in and sign-out, and the guard every dashboard request passes: CSRF check,
signed-in volunteer, idle logoff, and admins-only surfaces."""
from __future__ import annotations

import hashlib
import time
from typing import Any

from flask import (Blueprint, abort, flash, g, redirect, render_template, request, session,
                   url_for)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect

from assistant.db.models import Volunteer
from assistant.services.accounts import SignInThrottled, actor_for, sign_in
from assistant.services import audit
from assistant.web import runtime
from assistant.web.dashboard.forms import SignInForm
from assistant.web.dashboard.i18n import t
from assistant.web.dashboard.urls import local_or

IDLE_SECONDS = 30 * 60
"""Signed out after this long without a click (the Now page's own refreshes do not count)."""
PUBLIC_ENDPOINTS = {"dashboard.auth.sign_in", "dashboard.static", "dashboard.i18n.switch"}

csrf = CSRFProtect()
bp = Blueprint("auth", __name__)


def _password_mark(volunteer: Volunteer) -> str:
    """Changes when the password does, so a reset signs out every other browser."""
    return hashlib.sha256(volunteer.password_hash.encode()).hexdigest()[:16]


def actor() -> str:
    return actor_for(g.volunteer)


def _load_volunteer() -> Volunteer | None:
    volunteer_id = session.get("volunteer_id")
    if volunteer_id is None:
        return None
    if time.time() - session.get("seen", 0) > IDLE_SECONDS:
        session.clear()
        flash(t("auth.idle_signed_out"))
        return None
    with runtime().db.session() as db:
        volunteer = db.get(Volunteer, volunteer_id)
    if volunteer is None or not volunteer.active or session.get("mark") != _password_mark(volunteer):
        session.clear()
        return None
    if not request.args.get("auto"):
        session["seen"] = time.time()
    return volunteer


def guard(parent: Blueprint) -> None:
    @parent.before_request
    def _check() -> ResponseReturnValue | None:
        if request.method == "POST":
            csrf.protect()
        g.volunteer = _load_volunteer()
        if g.volunteer is None and request.endpoint not in PUBLIC_ENDPOINTS:
            return redirect(url_for("dashboard.auth.sign_in", next=request.full_path.rstrip("?")))
        return None

    @parent.app_context_processor
    def _user() -> dict[str, Any]:
        return {"volunteer": g.get("volunteer")}


def admins_only(child: Blueprint) -> None:
    @child.before_request
    def _admin() -> None:
        if g.volunteer.role != "admin":
            abort(403)


@bp.route("/sign-in", methods=["GET", "POST"], endpoint="sign_in")
def sign_in_page() -> ResponseReturnValue:
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            with runtime().db.session() as db:
                volunteer = sign_in(db, form.email.data or "", form.password.data or "",
                                    remote_addr=request.remote_addr or "")
        except SignInThrottled as exc:
            minutes = int(exc.retry_after.total_seconds() // 60) + 1
            form.form_errors.append(t("auth.throttled", minutes=minutes))
            status = 429
        else:
            if volunteer is not None:
                lang = session.get("lang")
                session.clear()
                session.update(volunteer_id=volunteer.id, seen=time.time(),
                               mark=_password_mark(volunteer), lang=lang or volunteer.language)
                return redirect(local_or(request.args.get("next"), url_for("dashboard.now.index")))
            form.form_errors.append(t("auth.wrong"))
            status = 401
    return render_template("dashboard/sign_in.html", form=form), status



@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    with runtime().db.session() as db:
        audit.record(db, actor(), "auth.signed_out", "volunteer", g.volunteer.id)
    lang = session.get("lang")
    session.clear()
    session["lang"] = lang
    return redirect(url_for("dashboard.auth.sign_in"))
