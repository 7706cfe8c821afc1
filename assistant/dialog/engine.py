"""The conversation engine: one inbound event in, one reply out, state kept in the database.

It knows nothing of TwiML or Flask. Safety rules live here, above every flow: "help" (or 9)
at any step goes straight to the help flow, "operator" (or 0) to a person, "repeat" (or *)
repeats the last question slowly; what is not understood climbs a ladder (re-prompt with
examples, then the keypad, then a person); at a step that acts (`confirm_unsure`), an
answer understood without certainty is read back and confirmed before anything is done
("I heard: taken. Is that right?"): yes acts on it through the step's own table, no asks
the step's question again, anything else is a new answer to it. Help is never read back.
"""
from __future__ import annotations

from typing import Any

from assistant.dialog.context import Ctx
from assistant.dialog.echo import heard_back
from assistant.dialog.model import Choice, Inbound, Reply
from assistant.dialog.states import FlowError, Registry, State, Target
from assistant.nlu import Expectation, Understanding, understand
from assistant.nlu.choices import Option, match_choice

GLOBAL_INTENTS = {"help": "help.emergency", "operator": "operator.connect",
                  "cancel": "menu.cancel", "goodbye": "menu.goodbye"}
GLOBAL_KEYS = {"9": "help", "0": "operator", "*": "repeat"}
CONFIRM_BELOW = 0.9
"""An answer understood less surely than this (the intent model's, a misspelt choice) is read
back before a step that acts acts on it."""
NEVER_READ_BACK = {"help", "repeat", "feeling_ok"}
READ_BACK_ANYWHERE = {"cancel", "goodbye"}
"""Heard everywhere and acting (an order called off, the call ended): read back when unsure
at any step."""
READING_BACK = "_reading_back"
"""The slot holding the answer read back, while the caller is asked whether it is right."""
_YES_NO = State("engine.read_back", expect=Expectation(intents=("yes", "no")),
                on={"yes": "", "no": ""})
"""How the answer to a read-back is understood (not a step of any flow)."""
MAX_HOPS = 12
LADDER_TO_PERSON = 3


class Engine:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def start(self, ctx: Ctx, state: str) -> Reply:
        """Begin (or restart) a conversation at `state`."""
        ctx.slots = dict(ctx.conv.slots or {})
        self._go(ctx, state)
        return self._finish(ctx)

    def handle(self, ctx: Ctx, inbound: Inbound) -> Reply:
        ctx.slots = dict(ctx.conv.slots or {})
        ctx.came_from = ctx.conv.state
        state = self.registry[ctx.conv.state]
        if inbound.event:
            self._follow(ctx, state, state.on.get(f"event:{inbound.event}"))
        elif inbound.silence:
            self._silence(ctx, state)
        else:
            self._answer(ctx, state, inbound)
        return self._finish(ctx)

    # -- understanding one answer -------------------------------------------------------

    def _answer(self, ctx: Ctx, state: State, inbound: Inbound) -> None:
        ctx.heard = inbound.text.strip() or inbound.digits
        pending = ctx.slots.pop(READING_BACK, None)
        if pending is not None and pending["state"] == state.name \
                and self._settle(ctx, state, inbound, pending):
            return
        key = self._key(ctx, state, state.choices(ctx) if state.choices else [], inbound)
        self._act(ctx, state, key)
        spoken = bool(inbound.text.strip()) and not inbound.digits
        if spoken and READING_BACK not in ctx.slots and (echo := heard_back(ctx, key)):
            ctx.reply.lines.insert(0, echo)

    def _act(self, ctx: Ctx, state: State, key: str) -> None:
        if key == "repeat":
            self._repeat(ctx)
        elif self._unsure(ctx, state, key):
            self._read_back(ctx, state, key)
        elif key in state.on:
            self._follow(ctx, state, state.on[key])
        elif key in GLOBAL_INTENTS:
            self._go(ctx, GLOBAL_INTENTS[key])
        elif state.fallback is not None and key != "":
            self._follow(ctx, state, state.fallback)
        else:
            self._misunderstood(ctx, state, "sorry.retry")

    def _key(self, ctx: Ctx, state: State, choices: list[Choice], inbound: Inbound) -> str:
        """What the answer means at `state`: an entry of its table, a global intent, or ""."""
        if inbound.help_heard:
            self._key_from_words(ctx, state, choices, inbound.text)
            ctx.reply.intent, ctx.reply.confidence, ctx.sureness = "help", 1.0, 1.0
            return "help"
        if inbound.digits:
            key = self._key_from_digits(ctx, choices, inbound.digits)
        else:
            key = self._key_from_words(ctx, state, choices, inbound.text)
        if key == "choice" and ctx.choice and ctx.choice.value in state.on:
            key = ctx.choice.value
        return key

    def _key_from_digits(self, ctx: Ctx, choices: list[Choice], digits: str) -> str:
        key = digits.strip()[:1]
        ctx.sureness = 1.0
        if key in GLOBAL_KEYS:
            return GLOBAL_KEYS[key]
        ctx.choice = next((c for c in choices if c.key == key), None)
        return "choice" if ctx.choice else ""

    def _key_from_words(self, ctx: Ctx, state: State, choices: list[Choice], text: str) -> str:
        elder = ctx.elder
        ctx.understanding = u = understand(
            text, ctx.lang, expected=state.expect, directory=ctx.rt.names.get(ctx.db),
            now=ctx.now, tz=elder.timezone if elder else ctx.rt.config.organization.default_timezone,
            data=ctx.rt.languages.intents)
        ctx.reply.intent, ctx.reply.confidence = u.intent, u.confidence
        ctx.sureness = u.confidence
        if u.intent == "help" or (u.intent and u.intent in state.on):
            return u.intent
        ctx.choice = self._choice_from_words(ctx, choices, u)
        if ctx.choice is not None:
            return "choice"
        if "slots" in state.on and any(slot in u.slots for slot in state.expect.slots):
            return "slots"
        return u.intent or ""

    @staticmethod
    def _choice_from_words(ctx: Ctx, choices: list[Choice], u: Understanding) -> Choice | None:
        """A choice said in words: its value as a slot ("tomorrow" -> a date), a yes/no
        intent for yes/no choices, or its label or other words ("later", "lunch", "two"),
        understood by `nlu.choices`."""
        for choice in choices:
            if choice.value in u.slots.values() or choice.value == u.intent:
                return choice
        options = [Option(c.value, (c.label, *c.words), c.key) for c in choices]
        match = match_choice(ctx.heard, ctx.lang, options, data=ctx.rt.languages.intents)
        if match is None:
            return None
        ctx.sureness = match.confidence
        return next(c for c in choices if c.value == match.value)

    # -- reading back an unsure answer ----------------------------------------------------

    @staticmethod
    def _unsure(ctx: Ctx, state: State, key: str) -> bool:
        """Whether the answer acts and was not understood surely enough to act on."""
        acts = (state.confirm_unsure and key in state.on) or (
            key in READ_BACK_ANYWHERE and key not in state.on)
        return acts and ctx.sureness < CONFIRM_BELOW and key not in NEVER_READ_BACK

    def _read_back(self, ctx: Ctx, state: State, key: str) -> None:
        """Ask whether the answer was heard right; the step waits for yes or no."""
        u, choice = ctx.understanding, ctx.choice
        ctx.slots[READING_BACK] = {
            "state": state.name, "key": key,
            "intent": u.intent if u else None, "slots": dict(u.slots) if u else {},
            "choice": [choice.key, choice.value, choice.label] if choice else None}
        if choice is not None:
            question = ctx.text("confirm.heard", heard=choice.label)
        elif key in ("yes", "no"):
            question = ctx.text("confirm.heard", heard=ctx.text(f"choice.{key}"))
        else:
            question = ctx.text("menu.confirm_intent", what=ctx.text(f"what.{key}"))
        ctx.reply.lines.append(question)
        ctx.conv.last_prompt = question
        self._wait_for_yes_no(ctx)

    def _wait_for_yes_no(self, ctx: Ctx) -> None:
        ctx.reply.choices, ctx.reply.read_choices, ctx.reply.expects_answer = self._yes_no(ctx), False, True

    @staticmethod
    def _yes_no(ctx: Ctx) -> list[Choice]:
        return [Choice("1", "yes", ctx.text("choice.yes")), Choice("2", "no", ctx.text("choice.no"))]

    def _settle(self, ctx: Ctx, state: State, inbound: Inbound, pending: dict[str, Any]) -> bool:
        """The answer to a read-back. Yes: act on what was read back, through the step's own
        table; no: ask the step's question again; repeat: say the read-back again. Anything
        else is left (False) to be taken as a new answer to the step's question."""
        key = self._key(ctx, _YES_NO, self._yes_no(ctx), inbound)
        if key == "choice" and ctx.choice is not None:
            key = ctx.choice.value
        if key == "yes":
            ctx.understanding = Understanding(pending["intent"], 1.0 if pending["intent"] else 0.0,
                                              pending["slots"], None, 0.0, ctx.lang)
            ctx.choice = Choice(*pending["choice"]) if pending["choice"] else None
            if pending["key"] in state.on:
                self._follow(ctx, state, state.on[pending["key"]])
            else:
                self._go(ctx, GLOBAL_INTENTS[pending["key"]])
        elif key == "no":
            ctx.choice = None
            ctx.say("sorry.retry")
            self._ask(ctx, state)
        elif key == "repeat":
            ctx.slots[READING_BACK] = pending
            ctx.reply.slow = True
            ctx.reply.lines.append(ctx.conv.last_prompt)
            self._wait_for_yes_no(ctx)
        else:
            ctx.understanding, ctx.choice = None, None
            return False
        return True

    # -- ladders ---------------------------------------------------------------------------

    def _silence(self, ctx: Ctx, state: State) -> None:
        if state.timeout is not None:
            self._follow(ctx, state, state.timeout)
        else:
            self._misunderstood(ctx, state, "sorry.silence")

    def _misunderstood(self, ctx: Ctx, state: State, opening: str) -> None:
        ctx.reply.understood = False
        ctx.conv.misunderstandings += 1
        if ctx.conv.misunderstandings >= LADDER_TO_PERSON:
            ctx.say("sorry.person")
            self._go(ctx, "operator.connect")
            return
        ctx.say(opening)
        if ctx.conv.misunderstandings == 2:
            ctx.say("sorry.keypad")
        self._ask(ctx, state)

    def _repeat(self, ctx: Ctx) -> None:
        ctx.reply.slow = True
        ctx.reply.lines.append(ctx.conv.last_prompt)
        self._ask(ctx, self.registry[ctx.conv.state], prompt=False)

    # -- moving between states -------------------------------------------------------------

    def _follow(self, ctx: Ctx, state: State, target: Target | None) -> None:
        if target is None:
            raise FlowError(f"{state.name} has no transition for this event")
        name = target(ctx) if callable(target) else target
        if name not in state.targets():
            raise FlowError(f"{state.name} went to {name}, which its table does not declare")
        self._go(ctx, name)

    def _go(self, ctx: Ctx, name: str) -> None:
        for _ in range(MAX_HOPS):
            state = self.registry[name]
            ctx.conv.state = name
            ctx.conv.flow = state.flow
            ctx.conv.misunderstandings = 0
            following = state.enter(ctx) if state.enter else ""
            if not following:
                self._ask(ctx, state)
                return
            if following not in state.targets():
                raise FlowError(f"{state.name} entered {following}, which its table does not declare")
            name = following
        raise FlowError(f"more than {MAX_HOPS} states entered in one turn, from {ctx.conv.state}")

    def _ask(self, ctx: Ctx, state: State, *, prompt: bool = True) -> None:
        if prompt and state.prompt:
            values: dict[str, Any] = state.values(ctx) if state.values else {}
            question = ctx.text(state.prompt, **values)
            ctx.reply.lines.append(question)
            ctx.conv.last_prompt = question
        ctx.reply.choices = state.choices(ctx) if state.choices else []
        ctx.reply.read_choices = state.read_choices
        if state.final:
            ctx.conv.ended = True
            return
        ctx.reply.expects_answer = not state.waits_for_event

    @staticmethod
    def intents_heard_at(state: State) -> tuple[str, ...]:
        """The intents that mean something at `state`: its own, then those heard everywhere."""
        return (*state.on, *GLOBAL_INTENTS, "repeat")

    def _finish(self, ctx: Ctx) -> Reply:
        ctx.conv.slots = ctx.slots
        ctx.reply.lang = ctx.lang
        return ctx.reply
