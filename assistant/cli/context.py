"""Shared CLI plumbing: load the configuration once, turn problems into one line."""
from __future__ import annotations

import functools
import logging
from datetime import datetime
from typing import Any, Callable

import click

from assistant.config import ConfigError, load_config


def configure_logging() -> None:
    """Logs for long-running commands. Phone numbers are masked by whoever logs them;
    APScheduler's per-tick lines are left out."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def fail(message: str) -> None:
    """Print one error line and exit with status 2."""
    click.echo(f"error: {message}", err=True)
    raise SystemExit(2)


def pass_config(command: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator: call the command with the validated `Config` as first argument."""
    @click.pass_context
    @functools.wraps(command)
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        root = ctx.find_root()
        if "config" not in root.obj:
            try:
                root.obj["config"] = load_config(root.obj.get("config_path"))
            except ConfigError as exc:
                fail(f"bad configuration: {exc}")
        return command(root.obj["config"], *args, **kwargs)
    return wrapper


class IsoDateTime(click.ParamType):
    """An ISO date and time ("2026-11-23T10:00"); a bad one is one error line naming the option."""

    name = "ISO-DATETIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not an ISO date and time such as 2026-11-23T10:00", param, ctx)
