"""The volunteers' dashboard: one parent blueprint, one child blueprint per surface.

CSRF protection, sign-in, idle logoff and the interface language apply to the dashboard's
routes only; the Twilio webhooks (signed by Twilio, not by a browser) are left alone.
"""
from __future__ import annotations

from flask import Blueprint, Flask

from assistant.web.dashboard import (admin_directory, admin_elders, admin_people, audit_log, auth,
                                     calls, elders, errors, export, formatting, i18n, log, now,
                                     orders, review)
from assistant.web.dashboard.auth import csrf

bp = Blueprint("dashboard", __name__, template_folder="templates", static_folder="static",
               static_url_path="/dashboard/static")
for surface in (auth, i18n, now, log, calls, review, elders, orders, admin_people,
                admin_directory, admin_elders, audit_log, export):
    bp.register_blueprint(surface.bp)
auth.guard(bp)
i18n.init_blueprint(bp)
formatting.init_blueprint(bp)
errors.init_blueprint(bp)


def init_app(app: Flask) -> None:
    public_url = app.extensions["assistant"].config.public_url
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=public_url.startswith("https://"),
                      WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None)
    csrf.init_app(app)
    app.register_blueprint(bp)
