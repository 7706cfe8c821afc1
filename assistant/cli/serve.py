"""`assistant serve`: the hotline webhooks and dashboard on a production WSGI server."""
from __future__ import annotations

import logging

import click
from waitress import serve as waitress_serve

from assistant.cli.context import configure_logging, pass_config
from assistant.config import Config
from assistant.runtime import Runtime
from assistant.scheduler import start_in_process
from assistant.speech.engines import engines_by_language, recognizer_for
from assistant.speech.errors import SpeechError

log = logging.getLogger("assistant")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Request threads.")
@click.option("--no-scheduler", is_flag=True,
              help="Do not run the outbound scheduler here (run `assistant worker` instead).")
@pass_config
def serve(config: Config, host: str, port: int, threads: int, no_scheduler: bool) -> None:
    """Serve the hotline and the dashboard."""
    from assistant.web import create_app

    configure_logging()
    runtime = Runtime.build(config)
    runtime.db.upgrade()
    app = create_app(config, runtime)
    engines = engines_by_language(config)
    for lang, engine in engines.items():
        if engine != "keypad":
            try:
                recognizer_for(config, lang)  # load the model now, not while the first caller waits
            except SpeechError as exc:
                log.error("speech model for %s cannot be loaded: %s", lang, exc)
    speech = ", ".join(f"{lang}={engine}" for lang, engine in engines.items())
    log.info("telephony: %s; speech: %s; database: %s", runtime.telephony.mode, speech,
             runtime.db.engine.url.render_as_string(hide_password=True))
    log.info("serving on http://%s:%d (public URL %s)", host, port, config.public_url)
    handle = None if no_scheduler else start_in_process(runtime)
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="assistant")
    finally:
        if handle is not None:
            handle.shutdown()


COMMANDS = [serve]
