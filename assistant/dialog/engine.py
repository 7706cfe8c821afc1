"""The conversation engine: one inbound event in, one reply out, state kept in the database.

It knows nothing of TwiML or Flask. Safety rules live here, above every flow: "help" (or 9)
at any step goes straight to the help flow, "operator" (or 0) to a person, "repeat" (or *)
repeats the last question slowly; what is not understood climbs a ladder (re-prompt with
examples, then the keypad, then a person); low-confidence understanding is read back and
confirmed before anything is done.
"""
from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz, process

from assistant.dialog.context import Ctx
from assistant.dialog.model import Choice, Inbound, Reply
from assistant.dialog.states import FlowError, Registry, State, Target
from assistant.nlu import Understanding, understand

GLOBAL_INTENTS = {"help": "help.emergency", "operator": "operator.connect",
                  "cancel": "menu.cancel", "goodbye": "menu.goodbye"}
GLOBAL_KEYS = {"9": "help", "0": "operator", "*": "repeat"}
CONFIRM_FIRST = {"book_doctor", "order_meal", "medicine_reminder", "medicine_taken",
                 "feeling_unwell", "cancel", "goodbye", "operator"}
CONFIRM_BELOW = 0.9
"""Understanding less sure than this (a fuzzy match to an example rather than a phrase) is
read back ("Did you want ...?") before anything is done."""
CHOICE_WORDS_CUTOFF = 80
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
        choices = state.choices(ctx) if state.choices else []
        if inbound.digits:
            key = self._key_from_digits(ctx, choices, inbound.digits)
        else:
            key = self._key_from_words(ctx, state, choices, inbound.text)
        if key == "choice" and ctx.choice and ctx.choice.value in state.on:
            key = ctx.choice.value
        if key == "repeat":
            self._repeat(ctx)
        elif key in state.on:
            if self._needs_confirmation(ctx, state, key):
                ctx.slots.update(_pending_intent=key, _pending_from=state.name,
                                 _pending_slots=dict(ctx.understanding.slots))
                self._go(ctx, "menu.confirm_intent")
            else:
                self._follow(ctx, state, state.on[key])
        elif key in GLOBAL_INTENTS:
            self._go(ctx, GLOBAL_INTENTS[key])
        elif state.fallback is not None and key != "":
            self._follow(ctx, state, state.fallback)
        else:
            self._misunderstood(ctx, state, "sorry.retry")

    def _key_from_digits(self, ctx: Ctx, choices: list[Choice], digits: str) -> str:
        key = digits.strip()[:1]
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
        intent for yes/no choices, or its label or other words ("later", "lunch")."""
        for choice in choices:
            if choice.value in u.slots.values() or choice.value == u.intent:
                return choice
        said = ctx.heard.lower()
        if not said or not choices:
            return None
        names = {word.lower(): choice for choice in choices for word in (choice.label, *choice.words)}
        best = process.extractOne(said, list(names), scorer=fuzz.partial_ratio,
                                  score_cutoff=CHOICE_WORDS_CUTOFF)
        return names[best[0]] if best else None

    @staticmethod
    def _needs_confirmation(ctx: Ctx, state: State, key: str) -> bool:
        u = ctx.understanding
        return (state.confirm_unsure and u is not None and key == u.intent and key in CONFIRM_FIRST
                and u.confidence < CONFIRM_BELOW)

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
