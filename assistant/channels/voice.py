"""A dialog Reply as TwiML, built only with the twilio SDK's VoiceResponse.

Speech and keys are caught at the same prompt: `<Record finishOnKey=...>` ends on a key and
reports it as Digits. An empty recording makes no request to the action URL (Twilio moves to
the next verb), so every `<Record>` is followed by a `<Redirect>` that reports silence. Where
no speech engine serves the caller's language, a keypad-only `<Gather>` is used instead.
"""
from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

from assistant import prompts
from assistant.config import Config
from assistant.dialog.model import Dial, RecordMessage, Reply

ANSWER_KEYS = "0123456789*#"
KEYPAD_TIMEOUT_SECONDS = 8


def spoken_lines(reply: Reply) -> list[str]:
    """The reply's sentences, with its choices read out ("Press 2 for lunch.") when asked to."""
    lines = list(reply.lines)
    if reply.read_choices:
        lines += [prompts.render(reply.lang, "choice.item", "keypad", key=c.key, label=c.label)
                  for c in reply.choices]
    return [line for line in lines if line.strip()]


def _say(target: VoiceResponse, config: Config, reply: Reply) -> None:
    spoken = config.voice.languages.get(reply.lang) or next(iter(config.voice.languages.values()))
    rate = config.voice.slow_rate if reply.slow else config.voice.rate
    for line in spoken_lines(reply):
        say = target.say(voice=spoken.voice, language=spoken.language)
        say.prosody(line, rate=rate)


def render(reply: Reply, config: Config, *, step_url: str, speech: bool) -> str:
    """TwiML for one reply. `step_url` is where the caller's answer goes; `speech` says
    whether a recognizer serves the caller's language (else keypad only)."""
    response = VoiceResponse()
    silence_url = f"{step_url}&silence=1"
    if isinstance(reply.action, Dial):
        _say(response, config, reply)
        dial = response.dial(action=f"{step_url}&event=dial", timeout=reply.action.ring_seconds,
                             caller_id=config.twilio.from_number or None)
        dial.number(reply.action.number)
    elif isinstance(reply.action, RecordMessage):
        _say(response, config, reply)
        response.record(action=f"{step_url}&event=message", max_length=reply.action.max_seconds,
                        finish_on_key="#", play_beep=True, timeout=config.voice.silence_seconds * 2)
        response.redirect(silence_url)
    elif reply.expects_answer and speech:
        _say(response, config, reply)
        response.record(action=step_url, finish_on_key=ANSWER_KEYS, play_beep=False,
                        timeout=config.voice.silence_seconds, max_length=config.voice.max_answer_seconds,
                        trim="trim-silence")
        response.redirect(silence_url)
    elif reply.expects_answer:
        gather = response.gather(input="dtmf", num_digits=1, timeout=KEYPAD_TIMEOUT_SECONDS,
                                 action=step_url)
        _say(gather, config, reply)
        response.redirect(silence_url)
    else:
        _say(response, config, reply)
        response.hangup()
    return str(response)
