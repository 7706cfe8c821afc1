"""A dialog Reply as TwiML, built only with the twilio SDK's VoiceResponse.

How a question waits for its answer depends on `voice.listen`:

- `record`: speech and keys are caught at the same prompt: `<Record finishOnKey=...>` ends
  on a key and reports it as Digits. An empty recording makes no request to the action URL
  (Twilio moves to the next verb), so every `<Record>` is followed by a `<Redirect>` that
  reports silence.
- `stream`: the call's first TwiML opens a Twilio Media Stream (`<Start><Stream>`), which
  hears her for the whole call; a question is a `<Gather input="dtmf">` (keys) holding the
  prompt and a long `<Pause>`, and the stream server moves the call on by a REST update when
  she has answered (or said nothing: see `spoken_seconds`). The `<Redirect>` after it reports
  silence only if the stream is gone. The stream is stopped before a `<Dial>` or a voice
  message (`<Record>`): the volunteer's side of a call is nobody's to hear. A call coming back
  from either opens it again.

Where no speech engine serves the caller's language, a keypad-only `<Gather>` is used.

Every sentence is one `<Say>` in the voice and language code of the language it is in: a
language menu offers each language in its own voice.
"""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

from twilio.twiml.voice_response import VoiceResponse

from assistant.config import Config
from assistant.dialog.model import Dial, RecordMessage, Reply
from assistant.languages import Languages

ANSWER_KEYS = "0123456789*#"
KEYPAD_TIMEOUT_SECONDS = 8
STREAM_NAME = "hotline"
STREAM_SLACK_SECONDS = 5
SECONDS_PER_WORD = 0.4
SECONDS_PER_CJK_CHARACTER = 0.25
SECONDS_PER_SENTENCE = 0.3
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[^\W\d_]+|\d+")


def spoken_lines(reply: Reply, languages: Languages) -> list[tuple[str, str]]:
    """The reply's sentences with their languages, and its choices read out ("Press 2 for
    lunch.") when asked to, each in the language it is offered in."""
    lines = [(line, reply.lang) for line in reply.lines]
    if reply.read_choices:
        lines += [(languages.render(choice.lang or reply.lang, "choice.item", "keypad", key=choice.key,
                                    label=choice.label), choice.lang or reply.lang)
                  for choice in reply.choices]
    return [(text, lang) for text, lang in lines if text.strip()]


def _say(target: VoiceResponse, languages: Languages, config: Config, reply: Reply) -> None:
    rate = config.voice.slow_rate if reply.slow else config.voice.rate
    for text, lang in spoken_lines(reply, languages):
        spoken = languages.voice(lang)
        say = target.say(voice=spoken.voice, language=spoken.language)
        say.prosody(text, rate=rate)


def render(reply: Reply, languages: Languages, config: Config, *, step_url: str, speech: bool,
           open_stream: bool = False) -> str:
    """TwiML for one reply. `step_url` is where the caller's answer goes; `speech` says
    whether a recognizer serves the caller's language (else keypad only); `open_stream`
    starts the call's media stream first (`voice.listen: stream`: the call's first TwiML, or
    the first after a dial or a voice message)."""
    response = VoiceResponse()
    streaming = config.voice.listen == "stream"
    if streaming and open_stream:
        start_stream(response, config, reply.lang)
    silence_url = f"{step_url}&silence=1"
    if isinstance(reply.action, Dial):
        _say(response, languages, config, reply)
        stop_stream(response, config)
        dial = response.dial(action=f"{step_url}&event=dial", timeout=reply.action.ring_seconds,
                             caller_id=config.twilio.from_number or None)
        dial.number(reply.action.number)
    elif isinstance(reply.action, RecordMessage):
        _say(response, languages, config, reply)
        stop_stream(response, config)
        response.record(action=f"{step_url}&event=message", max_length=reply.action.max_seconds,
                        finish_on_key="#", play_beep=True, timeout=config.voice.silence_seconds * 2)
        response.redirect(silence_url)
    elif reply.expects_answer and speech and streaming:
        gather = response.gather(input="dtmf", num_digits=1, timeout=1, action=step_url)
        _say(gather, languages, config, reply)
        gather.pause(length=stream_wait_seconds(config))
        response.redirect(silence_url)
    elif reply.expects_answer and speech:
        _say(response, languages, config, reply)
        response.record(action=step_url, finish_on_key=ANSWER_KEYS, play_beep=False,
                        timeout=config.voice.silence_seconds, max_length=config.voice.max_answer_seconds,
                        trim="trim-silence")
        response.redirect(silence_url)
    elif reply.expects_answer:
        gather = response.gather(input="dtmf", num_digits=1, timeout=KEYPAD_TIMEOUT_SECONDS,
                                 action=step_url)
        _say(gather, languages, config, reply)
        response.redirect(silence_url)
    else:
        _say(response, languages, config, reply)
        response.hangup()
    return str(response)


def start_stream(response: VoiceResponse, config: Config, lang: str) -> None:
    """`<Start><Stream>` to the stream server at `Config.stream_url`, inbound audio only."""
    stream = response.start().stream(name=STREAM_NAME, url=config.stream_url, track="inbound_track")
    stream.parameter(name="lang", value=lang)


def stream_wait_seconds(config: Config) -> int:
    """How long a streamed question waits after its prompt (the `<Pause>`) before Twilio
    reports silence itself, which happens only when the stream is gone: long enough for an
    answer begun just before the no-answer time to be finished and answered."""
    timing = config.voice.stream
    return math.ceil(timing.no_answer_seconds + timing.max_utterance_seconds + STREAM_SLACK_SECONDS)


def stop_stream(response: VoiceResponse, config: Config) -> None:
    """`<Stop><Stream>` (stream mode): before a dial or a voice message, nobody's to hear."""
    if config.voice.listen == "stream":
        response.stop().stream(name=STREAM_NAME)


def waits_for_speech(twiml: ET.Element) -> bool:
    """Whether `twiml` is a streamed question (a `<Gather>` holding a `<Pause>`): the stream
    server is to hear her answer."""
    return any(gather.find("Pause") is not None for gather in twiml.iter("Gather"))


def spoken_seconds(twiml: ET.Element, config: Config) -> float:
    """About how long Twilio takes to say the prompts of `twiml` at the voice's rate: from when
    the TwiML starts playing until she has heard the question out. An estimate (words or
    characters by a typical speaking rate), erring long; the stream server waits this long,
    then `voice.stream.no_answer_seconds`, before it takes the question as unanswered."""
    seconds = 0.0
    for say in twiml.iter("Say"):
        text = "".join(say.itertext())
        rate = next((float(p.attrib["rate"].rstrip("%")) / 100 for p in say.iter("prosody")
                     if p.attrib.get("rate", "").endswith("%")), 1.0)
        cjk = len(_CJK.findall(text))
        words = len(_WORD.findall(_CJK.sub(" ", text)))
        seconds += (cjk * SECONDS_PER_CJK_CHARACTER + words * SECONDS_PER_WORD + SECONDS_PER_SENTENCE) / max(rate, 0.5)
    return seconds


def say_and_dial(languages: Languages, config: Config, lang: str, text: str, number: str) -> str:
    """One sentence, then a call put through to `number` (none when it is "")."""
    response = VoiceResponse()
    spoken = languages.voice(lang)
    response.say(text, voice=spoken.voice, language=spoken.language)
    stop_stream(response, config)
    if number:
        response.dial(caller_id=config.twilio.from_number or None).number(number)
    return str(response)


def hang_up() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response)


def redirect(url: str) -> str:
    response = VoiceResponse()
    response.redirect(url)
    return str(response)
