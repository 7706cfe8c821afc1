"""Dashboard errors as pages a volunteer can read (the webhooks keep their JSON errors)."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from assistant.web.dashboard.i18n import catalog, current_language


def _page(error: HTTPException) -> ResponseReturnValue:
    texts = catalog(current_language())
    title = texts.get(f"error.http_{error.code}", error.name)
    detail = texts.get(f"error.http_{error.code}_detail", error.description or "")
    return render_template("dashboard/error.html", title=title, detail=detail), error.code or 500


def init_blueprint(parent: Blueprint) -> None:
    parent.register_error_handler(HTTPException, _page)
