"""The stream server over a real websocket, with real recognizers and Twilio's messages:
what she says is heard as she says it, answered by a call update, and kept here."""
from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import websockets

from assistant.config import Config
from assistant.speech.audio import read_wav, trim_silence
from tests.hotline import AUTH_TOKEN
from tests.stream.conftest import RunningStreamServer
from tests.telephony.carrier import Carrier


def caller(carrier: Carrier, server: RunningStreamServer, pace: float = 1.0, token: str = AUTH_TOKEN):
    return carrier.stream(server.url, signed_url=server.signed_url, auth_token=token,
                          params={"lang": "en"}, pace=pace)


@pytest.mark.speech("whisper")
def test_a_request_is_answered_by_a_call_update_after_the_short_silence(
        carrier: Carrier, stream_server: RunningStreamServer, config: Config, speak: Callable[..., Path]) -> None:
    clip = speak("I would like to order lunch for tomorrow").read_bytes()

    async def call() -> None:
        async with caller(carrier, stream_server) as line:
            await line.say(clip)
            await line.silence(2.5, pace=0.5)

    asyncio.run(call())
    stream_server.logic.wait(lambda: stream_server.logic.stats is not None)
    [heard] = stream_server.logic.utterances
    assert "lunch" in heard.text.lower() and heard.engine == "whisper"
    assert heard.ended_by == "complete" and heard.step == "menu.main"
    assert 700 <= heard.decided_ms - heard.speech_ended_ms < 2000
    [update] = carrier.wait_for_update(1)
    assert update["call_sid"] and "You said" in str(update["twiml"])
    wav = config.data_dir / heard.audio_path
    assert stat.S_IMODE(os.stat(wav).st_mode) == 0o600
    assert read_wav(wav).seconds >= 2.0


@pytest.mark.speech("whisper")
def test_a_pause_of_a_second_and_a_half_mid_request_does_not_cut_her_off(
        carrier: Carrier, stream_server: RunningStreamServer, speak: Callable[..., Path]) -> None:
    # Trimmed, so that the silence between her words is the 1.5 s sent (the clips' own padding
    # would add 0.6 s to it).
    first, rest = (trim_silence(read_wav(speak(words)), pad_seconds=0.02)
                   for words in ("I would like", "lunch tomorrow please"))

    async def call() -> None:
        async with caller(carrier, stream_server) as line:
            await line.say(first)
            await line.silence(1.5)
            await line.say(rest)
            await line.silence(2.5)

    asyncio.run(call())
    stream_server.logic.wait(lambda: stream_server.logic.stats is not None)
    [heard] = stream_server.logic.utterances
    assert "like" in heard.text.lower() and "lunch" in heard.text.lower()


@pytest.mark.speech("whisper")
def test_help_said_over_a_prompt_puts_the_call_through_at_once(
        carrier: Carrier, stream_server: RunningStreamServer, speak: Callable[..., Path]) -> None:
    """How fast is for benchmarks/voice_stream.py; here the silence after her word goes out
    slowly, so that recognition on a busy machine still beats the 2 s silence rule."""
    clip = speak("help").read_bytes()

    async def call() -> None:
        async with caller(carrier, stream_server) as line:
            await line.say(clip)
            await line.silence(2.5, pace=0.25)

    asyncio.run(call())
    [update] = carrier.wait_for_update(1)
    [heard] = stream_server.logic.utterances
    assert heard.help and heard.ended_by == "help"
    assert heard.decided_ms - heard.speech_ended_ms < 2000
    assert "<Dial>" in str(update["twiml"])


def test_vosk_partials_let_help_act_before_she_stops_speaking(
        carrier: Carrier, korean_stream_server: RunningStreamServer, speak: Callable[..., Path]) -> None:
    """The stand-in model has no matcher: the first word it makes out stands for help."""
    server = korean_stream_server
    server.logic.help_when = bool
    clip = speak("도와주세요 넘어졌어요 빨리 와 주세요", voice="ko").read_bytes()

    async def call() -> int:
        async with carrier.stream(server.url, signed_url=server.signed_url, auth_token=AUTH_TOKEN,
                                  params={"lang": "ko"}) as line:
            said = await line.say(clip)
            await line.silence(1.0)
        return said.speech_ended_ms

    speech_ended_ms = asyncio.run(call())
    server.logic.wait(lambda: server.logic.stats is not None)
    heard = server.logic.utterances[0]
    assert heard.help and heard.engine == "vosk" and heard.text
    assert heard.decided_ms < speech_ended_ms
    assert "<Dial>" in str(carrier.wait_for_update(1)[0]["twiml"])


@pytest.mark.speech("whisper")
def test_a_key_acts_at_once_and_drops_the_speech_under_way(
        carrier: Carrier, stream_server: RunningStreamServer, speak: Callable[..., Path]) -> None:
    clip = speak("I think I would like").read_bytes()

    async def call() -> None:
        async with caller(carrier, stream_server, pace=4) as line:
            await line.say(clip)
            await line.press("2")
            await line.silence(0.5)

    asyncio.run(call())
    stream_server.logic.wait(lambda: stream_server.logic.stats is not None)
    assert stream_server.logic.keys == ["2"]
    assert stream_server.logic.utterances == []
    assert "You pressed 2" in str(carrier.wait_for_update(1)[0]["twiml"])


@pytest.mark.speech("whisper")
def test_hanging_up_mid_sentence_keeps_what_she_said(
        carrier: Carrier, stream_server: RunningStreamServer, config: Config, speak: Callable[..., Path]) -> None:
    clip = speak("my knees are aching").read_bytes()

    async def call() -> int:
        async with caller(carrier, stream_server, pace=4) as line:
            await line.say(clip)
        return line._chunk

    frames = asyncio.run(call())
    stream_server.logic.wait(lambda: stream_server.logic.stats is not None)
    [heard] = stream_server.logic.utterances
    assert heard.ended_by == "hangup" and (config.data_dir / heard.audio_path).is_file()
    stats = stream_server.logic.stats
    assert stats.frames == frames and stats.missing == 0 and stats.utterances == 1


def test_a_handshake_without_a_valid_signature_is_refused(
        carrier: Carrier, stream_server: RunningStreamServer) -> None:
    for token in ("not-the-token", ""):
        with pytest.raises(websockets.InvalidStatus) as refused:
            asyncio.run(caller(carrier, stream_server, token=token).open())
        assert refused.value.response.status_code == 403
    assert stream_server.logic.stats is None


def test_messages_that_are_not_twilios_are_skipped_and_the_stream_goes_on(
        carrier: Carrier, stream_server: RunningStreamServer) -> None:
    async def call() -> None:
        async with caller(carrier, stream_server, pace=10) as line:
            for junk in ("not json", "[1, 2]", '{"event": "media", "media": {"payload": "%%%"}}',
                         '{"event": "launch"}', '{"event": "dtmf", "dtmf": {"digit": "x"}}'):
                await line.send_raw(junk)
            await line.silence(0.5)
            await line.press("#")

    asyncio.run(call())
    stream_server.logic.wait(lambda: stream_server.logic.stats is not None)
    assert stream_server.logic.stats.rejected == 5
    assert stream_server.logic.keys == ["#"]
