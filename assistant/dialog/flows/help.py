"""Help: no menu stands between an elder and a person.

Said at any step (or 9 pressed), the caller is told at once that a person is being called;
her contacts and the on-call volunteers are texted (volunteers with the request's number to
acknowledge; asked again while her request is open, the volunteers get one update instead);
the on-call volunteers are rung one after another. If nobody answers, every volunteer and
contact is texted and she is given the emergency number. "I'm not well"
without an emergency opens a non-urgent request for a call-back instead.
"""
from __future__ import annotations

from assistant.db.models import HelpKind, Severity
from assistant.dialog import steps
from assistant.dialog.context import Ctx
from assistant.dialog.states import State
from assistant.services import help as help_service
from assistant.services.outbound import record_answer


def _report_to_task(ctx: Ctx, answer: str) -> None:
    if "task_id" in ctx.slots:
        record_answer(ctx.db, ctx.rt, ctx.slots["task_id"], answer, now=ctx.now)


def emergency(ctx: Ctx) -> str:
    pressed = ctx.understanding is None
    steps.prepare_dialling(ctx)
    volunteers = help_service.on_call_volunteers(ctx.db)
    raised = help_service.raise_help(
        ctx.db, ctx.rt, elder=ctx.elder, caller_phone=ctx.caller, summary="" if pressed else ctx.heard,
        reason="pressed_key" if pressed else "", call_id=ctx.call_id,
        handler=volunteers[0].name if volunteers else None, now=ctx.now)
    ctx.slots["help_request_id"] = ctx.reply.help_request_id = raised.request.id
    _report_to_task(ctx, "help")
    ctx.say("help.calling")
    return "help.texted" if ctx.by_text else "help.dialing"


def nobody_answered(ctx: Ctx) -> str:
    request = ctx.db.get(help_service.HelpRequest, ctx.slots["help_request_id"])
    help_service.alert_everyone(ctx.db, ctx.rt, request)
    return ""


def callback(ctx: Ctx) -> str:
    help_service.raise_help(ctx.db, ctx.rt, elder=ctx.elder, caller_phone=ctx.caller, kind=HelpKind.CALLBACK,
                            severity=Severity.NORMAL, summary=ctx.heard, call_id=ctx.call_id, handler=None,
                            now=ctx.now)
    _report_to_task(ctx, "unwell")
    ctx.say("help.callback")
    return "menu.anything_else"


STATES = [
    State("help.emergency", enter=emergency, goes_to=("help.dialing", "help.texted")),
    State("help.texted", final=True),
    steps.dial_volunteers("help.dialing", exhausted="help.nobody", connected="help.connected"),
    State("help.nobody", prompt="help.nobody", enter=nobody_answered, final=True),
    State("help.connected", prompt="help.connected", final=True),
    State("help.callback", enter=callback, goes_to=("menu.anything_else",)),
]
