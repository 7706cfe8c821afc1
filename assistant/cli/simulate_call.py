"""`assistant call --from NUMBER STEP...`: a phone call to the hotline, without a phone line.

It drives the real webhooks in this process (signed when an auth token is configured) and
prints the conversation and every call and SMS the hotline makes. Nothing leaves the
machine: the simulator always uses the console outbox, whatever the configuration says.

With `voice.listen: stream` it also serves the stream server here (as `assistant serve`
does, on a free local port) and runs the call's media stream: `say:` and `play:` audio goes
down the websocket in real time, silence too, and the call moves on by call updates.
"""
from __future__ import annotations

import uuid
from contextlib import ExitStack
from pathlib import Path

import click
from flask import Flask

from assistant.cli.context import fail, pass_config
from assistant.config import STREAM_PATH, Config
from assistant.db.database import Database
from assistant.phones import mask, try_normalize
from assistant.private_files import private_dir, write_private
from assistant.runtime import Runtime
from assistant.simulator.call import SimulatedCall, WebhookError
from assistant.simulator.server import serving
from assistant.simulator.stream import StreamedLine
from assistant.simulator.synth import synthesize, tools_missing
from assistant.telephony.console_backend import ConsoleTelephony
from assistant.stream.server import StreamServer
from assistant.telephony.signatures import sign

STEP_HELP = ('Steps, in order: press:DIGITS, say:"WORDS" (spoken by espeak-ng over a telephone '
             'channel), play:FILE.wav, silence, dial:completed|no-answer|busy (the result of a '
             'dial to a volunteer).')


def _app(config: Config, runtime: Runtime) -> Flask:
    from assistant.web import create_app

    return create_app(config, runtime)


def _poster(config: Config, app: Flask):  # type: ignore[no-untyped-def]
    client = app.test_client()

    def post(url: str, params: dict[str, str]) -> tuple[int, str]:
        headers = {}
        if config.twilio.auth_token:
            headers["X-Twilio-Signature"] = sign(config.twilio.auth_token, url, params)
        path = url.removeprefix(config.public_url)
        response = client.post(path, data=params, headers=headers)
        return response.status_code, response.get_data(as_text=True)
    return post


def _storer(config: Config):  # type: ignore[no-untyped-def]
    folder = private_dir(config.data_dir / "simulator", config.data_dir)

    def store(audio: bytes) -> str:
        path = folder / f"{uuid.uuid4().hex}.wav"
        write_private(path, audio)
        return path.resolve().as_uri()
    return store


def _take(call: SimulatedCall, step: str, lang_voice: str, scratch: Path) -> str:
    kind, _, value = step.partition(":")
    if kind == "press" and value:
        call.press(value)
        return f"presses {value}"
    if kind == "say" and value:
        if tools_missing():
            fail(f"say: needs {', '.join(tools_missing())} (apt-get install -y espeak-ng sox)")
        call.play(synthesize(value, scratch / f"{uuid.uuid4().hex}.wav", voice=lang_voice).read_bytes())
        return f"says {value!r}"
    if kind == "play" and value:
        try:
            call.play(Path(value).read_bytes())
        except OSError as exc:
            fail(f"play: cannot read {value} ({exc.strerror})")
        return f"plays {value}"
    if kind == "silence":
        call.silence()
        return "says nothing"
    if kind == "dial" and value:
        call.dial_result(value)
        return f"(the volunteer's phone: {value})"
    fail(f"unknown step {step!r}. {STEP_HELP}")
    return ""


@click.command("call", epilog=STEP_HELP)
@click.option("--from", "caller", required=True, help="The caller's phone number.")
@click.option("--voice", default="en-us", show_default=True, help="espeak-ng voice for say: steps (cmn for Mandarin).")
@click.argument("steps", nargs=-1)
@pass_config
def call(config: Config, caller: str, voice: str, steps: tuple[str, ...]) -> None:
    """Call the hotline from NUMBER and take STEPS, printing the conversation."""
    number = try_normalize(caller, config.organization.default_region)
    if number is None:
        fail(f"--from: {caller!r} is not a phone number")
    db = Database(config.database.url)
    db.upgrade()
    telephony = ConsoleTelephony(config)
    runtime = Runtime.build(config, db, telephony)
    app = _app(config, runtime)
    with ExitStack() as stack:
        stack.callback(runtime.db.dispose)
        line = None
        if config.voice.listen == "stream":
            port = stack.enter_context(serving(app, StreamServer(runtime)))
            line = StreamedLine(f"ws://127.0.0.1:{port}{STREAM_PATH}", auth_token=config.twilio.auth_token)
            stack.callback(line.shut)
        simulated = SimulatedCall(_poster(config, app), _storer(config), caller=number,
                                  hotline_number=config.twilio.from_number or "+15550000000", line=line)
        telephony.on_update = simulated.follow
        _converse(simulated, config, steps, voice)


def _converse(simulated: SimulatedCall, config: Config, steps: tuple[str, ...], voice: str) -> None:
    scratch = config.data_dir / "simulator"
    try:
        simulated.dial_in(f"{config.public_url}/voice/incoming")
        _show(simulated)
        for step in steps:
            if simulated.hung_up:
                click.echo("(the call has ended; remaining steps ignored)")
                break
            click.echo(f"caller: {_take(simulated, step, voice, scratch)}")
            _show(simulated)
    except (WebhookError, TimeoutError) as exc:
        fail(str(exc))


def _show(simulated: SimulatedCall) -> None:
    click.echo(f"assistant: {simulated.says()}")
    if simulated.dialled():
        click.echo(f"assistant: (dials {mask(simulated.dialled())})")
    if simulated.hung_up:
        click.echo("assistant: (hangs up)")


COMMANDS = [call]
