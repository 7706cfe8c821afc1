"""The interface between the stream server and the call logic (`CallLogic`).

The stream server turns a live call's audio into events: the stream started, an utterance
ended (recognised, saved), a key was pressed, the stream stopped. The call logic answers each
with an `Answer`: TwiML that moves the live call on, and what to listen for next. The server
sends that TwiML with `Telephony.update_call`, after the method returned (so after its
transaction committed, never inside it).

Every method is called in a worker thread, never on the event loop, so it may use the
database and take its time; calls for one stream come one at a time, in the order the events
happened. A method that raises is logged and taken as `Answer()` (the call carries on as it
is), except `on_start`, whose failure closes the stream.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from assistant.nlu import IntentData, NluError, load_intent_data, understand

log = logging.getLogger(__name__)

HELP_INTENT = "help"


@dataclass(frozen=True)
class Listen:
    """What to listen for at the current step of the call."""

    lang: str
    """The caller's language: picks the recognizer (`speech.engine`) and the matcher."""
    hints: tuple[str, ...] = ()
    """Phrases the step expects and directory names: they bias recognition (Whisper)."""
    grammar: tuple[str, ...] | None = None
    """Every short answer the step takes, for a recognizer's grammar mode (see
    `Recognizer.transcribe`); None for open speech."""
    step: str = ""
    """The call logic's own name for the question being asked (e.g. the dialog step): each
    utterance carries the one current when she began, so an answer to a question already
    answered (by a key, through a webhook) can be told apart."""
    no_answer_seconds: float | None = None
    """Stream time from now after which, if she has not started to speak, `on_silence` is
    called (None: never; nothing is awaited, or silence is timed elsewhere)."""


@dataclass
class StreamCall:
    """One call's media stream, as the call logic sees it."""

    call_sid: str
    stream_sid: str
    account_sid: str
    params: dict[str, str]
    """The stream's `customParameters` (`<Parameter>` nouns of its `<Stream>`)."""
    listen: Listen
    """What the server listens for now (set from `on_start` and each `Answer.listen`)."""

    @property
    def lang(self) -> str:
        return self.listen.lang


@dataclass(frozen=True)
class Utterance:
    """One thing she said, from her first voiced frame to the end of her turn."""

    number: int
    """1 for the stream's first utterance, then 2, 3..."""
    text: str
    """What the recognizer heard ("" for nothing it could make out: the audio is kept)."""
    confidence: float
    engine: str
    """"vosk", "whisper", or "" when no recognizer serves the language."""
    lang: str
    step: str
    """`Listen.step` when she began speaking."""
    audio_path: str
    """The WAV (8 kHz, 16-bit) relative to `data_dir`; "" if it could not be written."""
    ended_by: str
    """"complete", "silence", "max_length", "help" (help detection fired) or "hangup"."""
    help: bool
    """Help detection flagged it (possibly from a partial, before she stopped)."""
    started_ms: int
    """Stream time of its first frame (ms since the stream started)."""
    started_at: datetime
    """When she began, by the wall clock (UTC): whether she began before or after a question
    was asked elsewhere (a key's webhook) is told by this."""
    speech_ended_ms: int
    """Stream time of the end of its last voiced frame."""
    decided_ms: int
    """Stream time at which the end of her turn was decided (help: possibly before she stopped)."""
    decided_after_seconds: float
    """From the arrival of its last voiced frame to the end of her turn being decided."""
    recognised_after_seconds: float
    """From the arrival of its last voiced frame to the final text."""
    problem: str = ""
    """Why recognition or saving failed, in one line ("" when all went well)."""


@dataclass(frozen=True)
class Answer:
    """The call logic's answer to an event."""

    twiml: str | None = None
    """TwiML that replaces what the live call is doing (sent by REST update of the call);
    None: the call carries on as it is (a prompt keeps playing)."""
    listen: Listen | None = None
    """What to listen for from now on; None: as before."""


@dataclass
class StreamStats:
    """How the stream server kept up with one stream."""

    frames: int = 0
    missing: int = 0
    """Media frames that never arrived (gaps in Twilio's sequence numbers)."""
    late: int = 0
    """Frames processed (VAD and, for Vosk, fed to the recognizer) more than
    `LATE_SECONDS` after they were due by the stream's own clock."""
    max_lag_seconds: float = 0.0
    utterances: int = 0
    rejected: int = 0
    """Messages that could not be parsed (logged, skipped)."""


class CallLogic(Protocol):
    """What a media stream drives (the hotline's: `stream.hotline_logic.HotlineLogic`)."""

    def on_start(self, call: StreamCall) -> Listen:
        """The stream started (`call.params` holds its customParameters); what to listen for."""
        ...

    def on_utterance(self, call: StreamCall, utterance: Utterance) -> Answer:
        """She finished an utterance (or help was heard in it): answer it."""
        ...

    def on_dtmf(self, call: StreamCall, digit: str) -> Answer:
        """A key (bidirectional streams only: `<Start><Stream>` keys come by `<Gather>`).
        Keys act at once: an utterance under way is dropped."""
        ...

    def on_silence(self, call: StreamCall) -> Answer:
        """She has not started to speak within `Listen.no_answer_seconds`."""
        ...

    def is_help(self, text: str, lang: str) -> bool:
        """May `text` (what she said so far, possibly partial) be a call for help? Checked at
        every partial result and pause; True ends the utterance at once, mid-prompt."""
        ...

    def is_complete(self, call: StreamCall, text: str) -> bool:
        """Is `text` a complete request the matcher understands with confidence? True lets
        her turn end after `complete_silence_seconds` instead of `silence_seconds`."""
        ...

    def on_stop(self, call: StreamCall, stats: StreamStats) -> None:
        """The stream is over (the call ended or the stream was stopped)."""
        ...


class MatcherLogic:
    """Help detection and completeness from `assistant.nlu.understand`; hears, answers nothing
    (every utterance is still recognised, saved and logged). `HotlineLogic` builds on it."""

    def __init__(self, default_lang: str, confident: float, intents: IntentData | None = None) -> None:
        self.default_lang = default_lang
        self.confident = confident
        self.intents = intents or load_intent_data()

    def on_start(self, call: StreamCall) -> Listen:
        return Listen(lang=call.params.get("lang") or self.default_lang)

    def on_utterance(self, call: StreamCall, utterance: Utterance) -> Answer:
        log.info("stream %s: utterance %d (%s, %.1f s after her last word)", call.stream_sid,
                 utterance.number, utterance.ended_by, utterance.decided_after_seconds)
        return Answer()

    def on_dtmf(self, call: StreamCall, digit: str) -> Answer:
        return Answer()

    def on_silence(self, call: StreamCall) -> Answer:
        return Answer()

    def is_help(self, text: str, lang: str) -> bool:
        try:
            return understand(text, lang, data=self.intents).intent == HELP_INTENT
        except NluError:
            return False

    def is_complete(self, call: StreamCall, text: str) -> bool:
        """Understood with confidence, and for an intent that takes slots (a day, a meal...)
        with at least one of them said: "I want to order" is followed by what she wants. A
        bare slot ("tomorrow", "lunch") is a complete answer to a question asking for it."""
        try:
            heard = understand(text, call.lang, data=self.intents)
        except NluError:
            return False
        if heard.intent is None:
            return bool(heard.slots)
        if heard.confidence < self.confident:
            return False
        return bool(heard.slots) or not self.intents.intents[heard.intent].slots

    def on_stop(self, call: StreamCall, stats: StreamStats) -> None:
        return None
