"""Sign-in and sign-out, and the guard every dashboard request passes: CSRF check,
signed-in volunteer (a server-side session, revoked at sign-out and ended after
`web.session_hours`), idle logoff, a first password change for demo accounts, and
admins-only surfaces."""
from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta
from typing import Any

from flask import (Blueprint, abort, flash, g, redirect, render_template, request, session,
                   url_for)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect

from sqlalchemy import delete

from assistant.db.base import utcnow
from assistant.db.models import DashboardSession, Volunteer
from assistant.passwords import hash_password, is_demo_password, verify_password
from assistant.services.accounts import SignInThrottled, actor_for, sign_in
from assistant.services import audit
from assistant.web import runtime
from assistant.web.dashboard.forms import ChangePasswordForm, SignInForm
from assistant.web.dashboard.i18n import t
from assistant.web.dashboard.urls import local_or

IDLE_SECONDS = 30 * 60
"""Signed out after this long without a click (the Now page's own refreshes do not count)."""
PUBLIC_ENDPOINTS = {"dashboard.auth.sign_in", "dashboard.static", "dashboard.i18n.switch"}
BEFORE_PASSWORD_CHANGE = PUBLIC_ENDPOINTS | {"dashboard.auth.change_password", "dashboard.auth.sign_out"}

csrf = CSRFProtect()
bp = Blueprint("auth", __name__)


def _password_mark(volunteer: Volunteer) -> str:
    """Changes when the password does, so a reset signs out every other browser."""
    return hashlib.sha256(volunteer.password_hash.encode()).hexdigest()[:16]


def actor() -> str:
    return actor_for(g.volunteer)


def _load_volunteer() -> Volunteer | None:
    session_id = session.get("sid")
    if session_id is None:
        return None
    if time.time() - session.get("seen", 0) > IDLE_SECONDS:
        _end_session(session_id)
        flash(t("auth.idle_signed_out"))
        return None
    with runtime().db.session() as db:
        signed_in = db.get(DashboardSession, session_id)
        volunteer = db.get(Volunteer, signed_in.volunteer_id) if signed_in is not None else None
        if signed_in is not None and signed_in.expires_at <= utcnow():
            db.delete(signed_in)
            volunteer = None
    if volunteer is None or not volunteer.active or session.get("mark") != _password_mark(volunteer):
        session.clear()
        return None
    if not request.args.get("auto"):
        session["seen"] = time.time()
    return volunteer


def _start_session(volunteer: Volunteer) -> None:
    """A new server-side session for `volunteer`; the cookie only names it."""
    session_id = secrets.token_urlsafe(32)
    hours = runtime().config.web.session_hours
    with runtime().db.session() as db:
        now = utcnow()
        db.execute(delete(DashboardSession).where(DashboardSession.expires_at <= now))
        db.add(DashboardSession(id=session_id, volunteer_id=volunteer.id, created_at=now,
                                expires_at=now + timedelta(hours=hours)))
    lang = session.get("lang")
    session.clear()
    session.update(sid=session_id, seen=time.time(), mark=_password_mark(volunteer),
                   lang=lang or volunteer.language)


def _end_session(session_id: str) -> None:
    with runtime().db.session() as db:
        db.execute(delete(DashboardSession).where(DashboardSession.id == session_id))
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _has_nul() -> bool:
    """PostgreSQL refuses NUL in text; no person types one, so such a request is refused."""
    return any("\x00" in value for source in (request.args, request.form)
               for values in source.listvalues() for value in values)


def guard(parent: Blueprint) -> None:
    @parent.before_request
    def _check() -> ResponseReturnValue | None:
        if _has_nul():
            abort(400)
        if request.method == "POST":
            csrf.protect()
        g.volunteer = _load_volunteer()
        if g.volunteer is None and request.endpoint not in PUBLIC_ENDPOINTS:
            return redirect(url_for("dashboard.auth.sign_in", next=request.full_path.rstrip("?")))
        if (g.volunteer is not None and g.volunteer.must_change_password
                and request.endpoint not in BEFORE_PASSWORD_CHANGE):
            return redirect(url_for("dashboard.auth.change_password"))
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
                _start_session(volunteer)
                if volunteer.must_change_password:
                    return redirect(url_for("dashboard.auth.change_password"))
                return redirect(local_or(request.args.get("next"), url_for("dashboard.now.index")))
            form.form_errors.append(t("auth.wrong"))
            status = 401
    return render_template("dashboard/sign_in.html", form=form), status


@bp.route("/account/password", methods=["GET", "POST"], endpoint="change_password")
def change_password() -> ResponseReturnValue:
    """A volunteer sets her own password (required before anything else for a demo account)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        new_password = form.new_password.data or ""
        with runtime().db.session() as db:
            volunteer = db.get(Volunteer, g.volunteer.id)
            assert volunteer is not None
            if is_demo_password(new_password) or verify_password(volunteer.password_hash, new_password):
                form.new_password.errors = [t("error.password_reused")]
            else:
                volunteer.password_hash = hash_password(new_password)
                volunteer.must_change_password = False
                audit.record(db, actor(), "auth.password_changed", "volunteer", volunteer.id)
        if not form.new_password.errors:
            session["mark"] = _password_mark(volunteer)
            flash(t("auth.password_changed"))
            return redirect(url_for("dashboard.now.index"))
    return render_template("dashboard/change_password.html", form=form)


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    with runtime().db.session() as db:
        audit.record(db, actor(), "auth.signed_out", "volunteer", g.volunteer.id)
    _end_session(session.get("sid", ""))
    return redirect(url_for("dashboard.auth.sign_in"))
