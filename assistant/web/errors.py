"""Error pages: nothing crashes into a stack trace, and a failed request leaves no half-write."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def _handle_http(error: HTTPException) -> ResponseReturnValue:
    return jsonify({"error": error.name, "detail": error.description}), error.code or 500


def _handle_unexpected(error: Exception) -> ResponseReturnValue:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return jsonify({"error": "Internal Server Error"}), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)
