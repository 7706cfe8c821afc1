"""`GET /healthz`: database status, telephony mode and the speech engine per language."""
from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from flask.typing import ResponseReturnValue

from assistant.speech.engines import engines_by_language
from assistant.web import runtime

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    rt = runtime()
    database = rt.db.ping()
    body = {"status": "ok" if database == "ok" else "degraded", "database": database,
            "telephony": rt.telephony.mode, "speech": engines_by_language(rt.config, rt.languages.codes)}
    return jsonify(body), 200 if database == "ok" else 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
