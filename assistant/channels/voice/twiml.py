"""A dialog Reply as TwiML, built only with the twilio SDK's VoiceResponse.

Speech and keys are caught at the same prompt: `<Record finishOnKey=...>` ends on a key and
reports it as Digits. An empty recording makes no request to the action URL (Twilio moves to
the next verb), so every `<Record>` is followed by a `<Redirect>` that reports silence. Where
no speech engine serves the caller's language, a keypad-only `<Gather>` is used instead.

Every sentence is one `<Say>` in the voice and language code of the language it is in: a
language menu offers each language in its own voice.
"""
from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

from assistant.config import Config
from assistant.dialog.model import Dial, RecordMessage, Reply
from assistant.languages import Languages

ANSWER_KEYS = "0123456789*#"
KEYPAD_TIMEOUT_SECONDS = 8


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


def render(reply: Reply, languages: Languages, config: Config, *, step_url: str, speech: bool) -> str:
    """TwiML for one reply. `step_url` is where the caller's answer goes; `speech` says
    whether a recognizer serves the caller's language (else keypad only)."""
    response = VoiceResponse()
    silence_url = f"{step_url}&silence=1"
    if isinstance(reply.action, Dial):
        _say(response, languages, config, reply)
        dial = response.dial(action=f"{step_url}&event=dial", timeout=reply.action.ring_seconds,
                             caller_id=config.twilio.from_number or None)
        dial.number(reply.action.number)
    elif isinstance(reply.action, RecordMessage):
        _say(response, languages, config, reply)
        response.record(action=f"{step_url}&event=message", max_length=reply.action.max_seconds,
                        finish_on_key="#", play_beep=True, timeout=config.voice.silence_seconds * 2)
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


def say_and_dial(languages: Languages, config: Config, lang: str, text: str, number: str) -> str:
    """One sentence, then a call put through to `number` (none when it is "")."""
    response = VoiceResponse()
    spoken = languages.voice(lang)
    response.say(text, voice=spoken.voice, language=spoken.language)
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
