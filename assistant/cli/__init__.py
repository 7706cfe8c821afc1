"""The `assistant` command line: one module per command group, registered here."""
from __future__ import annotations

import click

from assistant.cli.context import pass_config  # noqa: F401  (re-exported for command modules)
from assistant.cli import database, intents, parse, serve, simulate_call, simulate_sms, speech, worker


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              envvar="ASSISTANT_CONFIG", help="Configuration file (default: config.yaml).")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """Hotline assistant: serve the hotline, manage its data, try it without a phone."""
    ctx.obj = {"config_path": config_path}


for module in (database, intents, parse, serve, simulate_call, simulate_sms, speech, worker):
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    cli(prog_name="assistant")
