"""`assistant serve`: the hotline webhooks, the dashboard and the media stream websocket, on
gunicorn with uvicorn workers.

Each worker process runs one event loop (`assistant.asgi.HotlineApp`): HTTP requests go to
the Flask app in a pool of `--threads` threads, and every Twilio Media Stream is a coroutine
on the loop (no thread per call), so one process and one URL serve a whole call.

One worker process is right for SQLite, which has a single writer. On PostgreSQL the
default is a worker per CPU (up to four): one Python process spends most of its time
under the GIL in SQLAlchemy, so a second CPU only helps through a second process. Each
worker builds its own runtime after the fork (no database connection or model is shared
across processes), loads its speech models, and runs the outbound scheduler, whose
database lease lets exactly one of them act.
"""
from __future__ import annotations

import ipaddress
import logging
import os
from typing import Any
from urllib.parse import urlsplit

import click
from gunicorn.app.base import BaseApplication
from sqlalchemy import select
from uvicorn_worker import UvicornWorker

from assistant.asgi import HotlineApp
from assistant.cli.context import configure_logging, fail, pass_config
from assistant.config import Config
from assistant.db.database import Database
from assistant.db.models import Volunteer
from assistant.languages import Languages
from assistant.passwords import has_demo_password
from assistant.runtime import Runtime
from assistant.scheduler import SchedulerHandle, start_in_process
from assistant.speech.engines import engines_by_language
from assistant.stream.server import StreamServer
from assistant.web.warm_up import warm_up

log = logging.getLogger("assistant")
MAX_AUTO_WORKERS = 4
MAX_MESSAGE_BYTES = 64 * 1024
"""A Media Streams message is a few hundred bytes: anything far larger is not Twilio."""


class HotlineWorker(UvicornWorker):
    """uvicorn in a gunicorn worker: libuv's event loop and a C HTTP parser (with the plain
    asyncio loop a text cost about 1 ms more CPU than on gthread workers), websockets for the
    media streams."""

    CONFIG_KWARGS = {"loop": "uvloop", "http": "httptools", "ws": "websockets-sansio",
                     "ws_max_size": MAX_MESSAGE_BYTES, "lifespan": "on"}


def default_workers(database_url: str) -> int:
    """1 on SQLite, else one per CPU up to MAX_AUTO_WORKERS."""
    if database_url.startswith("sqlite"):
        return 1
    return max(1, min(MAX_AUTO_WORKERS, os.cpu_count() or 1))


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refusals(config: Config, database: Database, host: str) -> list[str]:
    """Why serving on `host` would let strangers in; empty when it is safe (or only local)."""
    public_host = urlsplit(config.public_url).hostname or ""
    if is_loopback(host) and is_loopback(public_host):
        return []
    where = f"host {host}" if not is_loopback(host) else f"public_url {config.public_url}"
    problems = []
    if not config.twilio.auth_token:
        problems.append(f"refusing to serve on {where} without twilio.auth_token: anyone could post "
                        "unsigned webhooks; set TWILIO_AUTH_TOKEN (or pass --insecure-dev)")
    with database.session() as session:
        demo = [v.email or v.phone for v in session.scalars(select(Volunteer).where(Volunteer.active.is_(True)))
                if has_demo_password(v.password_hash)]
    if demo:
        problems.append(f"refusing to serve on {where}: {', '.join(demo)} still "
                        f"{'has' if len(demo) == 1 else 'have'} the demo password; sign in on "
                        "http://127.0.0.1 and change it, or set another in the dashboard's Admin page "
                        "(or pass --insecure-dev)")
    return problems


class HotlineServer(BaseApplication):
    """gunicorn, configured from the command line instead of its own config file."""

    def __init__(self, config: Config, options: dict[str, Any], scheduler: bool, threads: int) -> None:
        self.hotline_config = config
        self.options = options
        self.scheduler = scheduler
        self.threads = threads
        self.scheduler_handle: SchedulerHandle | None = None
        self.runtime: Runtime | None = None
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("worker_exit", _stop_scheduler)

    def load(self) -> HotlineApp:
        """Runs in each worker process, after the fork."""
        from assistant.web import create_app

        runtime = self.runtime = Runtime.build(self.hotline_config)
        app = HotlineApp(create_app(self.hotline_config, runtime), StreamServer(runtime),
                         threads=self.threads, close_connections=self.options["workers"] > 1)
        warm_up(runtime)
        runtime.outbox.start()
        if self.scheduler:
            self.scheduler_handle = start_in_process(runtime)
        return app


def _stop_scheduler(_arbiter: Any, worker: Any) -> None:
    handle = worker.app.scheduler_handle
    if handle is not None:
        handle.shutdown()
    if worker.app.runtime is not None:
        worker.app.runtime.outbox.stop()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", type=click.IntRange(min=1),
              help="Worker processes [default: 1 on SQLite, one per CPU up to 4 otherwise].")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(min=1),
              help="Request threads per worker.")
@click.option("--no-scheduler", is_flag=True,
              help="Do not run the outbound scheduler here (run `assistant worker` instead).")
@click.option("--insecure-dev", is_flag=True,
              help="Serve beyond this machine even without an auth token or with demo passwords.")
@pass_config
def serve(config: Config, host: str, port: int, workers: int | None, threads: int, no_scheduler: bool,
          insecure_dev: bool) -> None:
    """Serve the hotline, the dashboard and the media stream websocket."""
    configure_logging()
    os.umask(0o077)  # the database, recordings and keys are health data: this user's alone
    database = Database(config.database.url)
    database.upgrade()
    problems = refusals(config, database, host)
    if problems and not insecure_dev:
        database.dispose()
        for problem in problems[:-1]:
            click.echo(f"error: {problem}", err=True)
        fail(problems[-1])
    for problem in problems:
        log.warning("--insecure-dev: %s", problem.replace(" (or pass --insecure-dev)", ""))
    if not config.twilio.auth_token and not problems:
        log.warning("no twilio.auth_token: webhooks are not signature-checked (fine on this machine only)")
    log.info("database: %s", database.engine.url.render_as_string(hide_password=True))
    database.dispose()  # no connection may cross the fork into the workers
    workers = workers or default_workers(config.database.url)
    if workers > 1 and config.database.url.startswith("sqlite"):
        log.warning("%d workers on SQLite: its single writer makes them queue across processes", workers)
    speech = ", ".join(f"{lang}={engine}" for lang, engine in engines_by_language(config, Languages(config).codes).items())
    log.info("serving on http://%s:%d (public URL %s), %d worker(s) x %d threads; telephony: %s; "
             "speech: %s; media streams: %s (voice.listen: %s)", host, port, config.public_url, workers,
             threads, config.telephony_mode, speech, config.stream_url, config.voice.listen)
    HotlineServer(config, {
        "bind": f"{host}:{port}", "workers": workers, "worker_class": "assistant.cli.serve.HotlineWorker",
        "timeout": 120, "proc_name": "assistant", "accesslog": None, "control_socket_disable": True,
        # A kept-alive connection stays with the worker that accepted it, and a few busy
        # connections could pin one CPU while another idled: with several workers, every
        # request is a new connection (`Connection: close`), taken by whichever worker is free.
        "keepalive": 5,
    }, scheduler=not no_scheduler, threads=threads).run()


COMMANDS = [serve]
