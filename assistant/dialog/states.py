"""Named states and their transition tables: the building blocks of every flow.

A state is addressed as "flow.state". Its `on` table maps what the caller said (an intent
name, "choice" for a numbered answer, "slots" for an expected slot given on its own, or
"event:<name>" for the result of a dial or recording) to the next state, directly or through
a handler. Handlers may only return states listed in `goes_to`: the engine refuses any
other, so the table (and the Mermaid diagram made from it) is the whole truth.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.dialog.model import Choice
from assistant.nlu import Expectation

if TYPE_CHECKING:
    from assistant.dialog.context import Ctx

Handler = Callable[["Ctx"], str]
Target = str | Handler


@dataclass(frozen=True)
class State:
    name: str
    prompt: str | None = None
    """Prompt key said on entry (and repeated on a misunderstanding); None for a routing state."""
    values: Callable[[Ctx], dict[str, Any]] | None = None
    """Placeholders for the prompt."""
    choices: Callable[[Ctx], list[Choice]] | None = None
    read_choices: bool = True
    """Read the choices out after the prompt; False when the prompt already names its keys."""
    expect: Expectation = field(default_factory=Expectation)
    on: Mapping[str, Target] = field(default_factory=dict)
    enter: Handler | None = None
    """Runs on entry; returns the next state, or "" to stay here and ask the prompt."""
    fallback: Target | None = None
    """Anything not in `on`; None: the misunderstanding ladder (retry, keypad, a person)."""
    timeout: Target | None = None
    """Silence; None: the same ladder as a misunderstanding."""
    goes_to: tuple[str, ...] = ()
    final: bool = False
    """The conversation ends after this state's prompt."""
    waits_for_event: bool = False
    """The state started an action (a dial, a recording) and waits for its result."""
    confirm_unsure: bool = False
    """Read back a low-confidence understanding ("Did you want ...?") before acting on it."""

    @property
    def flow(self) -> str:
        return self.name.split(".", 1)[0]

    def targets(self) -> set[str]:
        """Every state this one can lead to, for checks and diagrams."""
        found = {t for t in self.on.values() if isinstance(t, str)}
        for target in (self.fallback, self.timeout):
            if isinstance(target, str):
                found.add(target)
        return found | set(self.goes_to)


class FlowError(Exception):
    """A flow definition is inconsistent (unknown target, undeclared transition)."""


class Registry:
    """Every state of every flow, checked once when built."""

    def __init__(self, states: list[State]) -> None:
        self.states: dict[str, State] = {}
        for state in states:
            if state.name in self.states:
                raise FlowError(f"state {state.name} is defined twice")
            self.states[state.name] = state
        for state in states:
            for target in state.targets():
                if target not in self.states:
                    raise FlowError(f"{state.name} leads to unknown state {target}")

    def __getitem__(self, name: str) -> State:
        try:
            return self.states[name]
        except KeyError:
            raise FlowError(f"unknown state {name}") from None

    def flows(self) -> dict[str, list[State]]:
        grouped: dict[str, list[State]] = {}
        for state in self.states.values():
            grouped.setdefault(state.flow, []).append(state)
        return grouped
