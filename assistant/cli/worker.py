"""`assistant worker`: the scheduler alone, for when the web tier runs several processes.

Start one (or two, for a warm standby: the lease lets only one act) and serve the web tier
with `assistant serve --no-scheduler`.
"""
from __future__ import annotations

import logging
import os
import signal
import threading

import click

from assistant.cli.context import configure_logging, pass_config
from assistant.config import Config
from assistant.runtime import Runtime
from assistant.scheduler import start_in_process

log = logging.getLogger("assistant")


@click.command()
@pass_config
def worker(config: Config) -> None:
    """Run the outbound scheduler (check-ins, reminders, retries) and the outbox sender until stopped."""
    configure_logging()
    os.umask(0o077)  # the database, recordings and keys are health data: this user's alone
    runtime = Runtime.build(config)
    runtime.db.upgrade()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    handle = start_in_process(runtime)
    runtime.outbox.start()
    log.info("worker running; telephony: %s", runtime.telephony.mode)
    try:
        stop.wait()
    finally:
        handle.shutdown()
        runtime.outbox.stop()
        runtime.db.dispose()
        log.info("worker stopped")


COMMANDS = [worker]
