"""The Flask app factory: webhooks for Twilio and the volunteers' dashboard."""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask, current_app

from assistant.config import Config
from assistant.runtime import Runtime

log = logging.getLogger(__name__)


def _secret_key(config: Config) -> str:
    """The configured key, or one generated once and kept in the data directory.

    Every worker process must sign sessions with the same key, and workers start at the
    same moment: the first to link its key into place wins, and all read that one.
    """
    if config.secret_key:
        return config.secret_key
    path = Path(config.data_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        draft.write_text(secrets.token_hex(32), encoding="utf-8")
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip()


def create_app(config: Config, runtime: Runtime | None = None) -> Flask:
    from assistant.web import dashboard, errors, health, security, sms, status, voice

    app = Flask(__name__)
    app.config.update(SECRET_KEY=_secret_key(config), MAX_CONTENT_LENGTH=1024 * 1024)
    security.init_app(app, public_url=config.public_url, trusted_proxy_hops=config.web.trusted_proxy_hops)
    app.extensions["assistant"] = runtime or Runtime.build(config)
    for module in (errors, health, status, voice, sms, dashboard):
        module.init_app(app)
    return app


def runtime() -> Runtime:
    """The Runtime of the app handling the current request."""
    return current_app.extensions["assistant"]
