"""A person: "operator" or 0 at any step rings the volunteers in turn; if none answers, a
voice message is taken and flagged for a call-back. By SMS, a call-back is requested."""
from __future__ import annotations

from assistant.db.models import HelpKind, Severity
from assistant.dialog import steps
from assistant.dialog.context import Ctx
from assistant.dialog.model import RecordMessage
from assistant.dialog.states import State
from assistant.services import help as help_service


def connect(ctx: Ctx) -> str:
    ctx.say("operator.connecting")
    if ctx.by_text:
        return "operator.callback"
    steps.prepare_dialling(ctx)
    return "operator.dialing"


def record(ctx: Ctx) -> str:
    ctx.reply.action = RecordMessage()
    return ""


def callback_requested(ctx: Ctx) -> str:
    """After a voice message (or an SMS asking for a person): a flagged call-back request."""
    request = help_service.open_request(
        ctx.db, elder=ctx.elder, caller_phone=ctx.caller,
        kind=HelpKind.CALLBACK if ctx.by_text else HelpKind.VOICE_MESSAGE, severity=Severity.NORMAL,
        summary=ctx.heard, call_id=ctx.call_id)
    help_service.alert_on_open(ctx.db, ctx.rt, request, handler=None)
    return ""


STATES = [
    State("operator.connect", enter=connect, goes_to=("operator.dialing", "operator.callback")),
    steps.dial_volunteers("operator.dialing", exhausted="operator.message", connected="help.connected"),
    State("operator.message", prompt="operator.message", enter=record, waits_for_event=True,
          on={"event:message_recorded": "operator.saved"}, timeout="operator.saved"),
    State("operator.saved", prompt="operator.message_saved", enter=callback_requested, final=True),
    State("operator.callback", enter=callback_requested, final=True),
]
