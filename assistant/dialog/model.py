"""What goes into the dialog engine and what comes out, for any channel."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Inbound:
    """One event from a channel: words, keys, silence, or the result of an action."""

    text: str = ""
    """A transcript or an SMS body."""
    digits: str = ""
    silence: bool = False
    """Nothing was heard before the timeout."""
    event: str = ""
    """The outcome of the last action: "dial_answered", "dial_failed", "message_recorded"."""
    speech_confidence: float | None = None
    help_heard: bool = False
    """Help detection flagged what she said (possibly only part of it, over a prompt): it
    goes to the help flow whatever the whole is understood as."""


@dataclass(frozen=True)
class Choice:
    """A numbered answer: said as "press 2 for lunch" by voice, "2 Lunch" by SMS."""

    key: str
    value: str
    label: str
    words: tuple[str, ...] = ()
    """Other ways of saying it, matched when the caller speaks the choice."""
    lang: str = ""
    """The language the choice is offered in ("" for the reply's): a language menu offers
    each language in its own words and voice."""


@dataclass(frozen=True)
class Dial:
    """Connect the caller to `number`; the result comes back as a dial_* event."""

    number: str
    ring_seconds: int = 20


@dataclass(frozen=True)
class RecordMessage:
    """Record a voice message; it comes back as a `message_recorded` event."""

    max_seconds: int = 120


Action = Dial | RecordMessage


@dataclass
class Reply:
    """What the channel renders: sentences, then either an action, a question, or the end."""

    lines: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    read_choices: bool = True
    action: Action | None = None
    expects_answer: bool = False
    slow: bool = False
    """Repeat requested: say it more slowly."""
    lang: str = "en"
    intent: str | None = None
    """What the matcher made of this turn, for the call log."""
    confidence: float | None = None
    understood: bool = True
    """False when the turn fell through to the misunderstanding ladder: flag it for review."""
    at_menu: bool = False
    """The conversation now waits at the main menu."""
    help_request_id: int | None = None
    """The help request this turn opened for an emergency, for linking what was said to it."""

    @property
    def ends(self) -> bool:
        return not self.expects_answer and self.action is None
