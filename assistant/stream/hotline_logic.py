"""The hotline's own call logic behind a media stream: the same `channels.voice.calls` the
webhooks drive, so a call moves through one dialog whichever way she answers.

- An utterance answers the question being asked: its words (and its saved audio) become one
  turn, and the TwiML of the reply is the call's next update. Help detection's verdict goes
  with it: what it flagged reaches the help flow whatever the rest is understood as.
- She says nothing for `voice.stream.no_answer_seconds` after a question has been said:
  that is the question's silence, as a `<Record>` timeout is in record mode.
- Keys come by the `<Gather>` webhook, which moves the dialog on without the stream. Words
  she began before that question was asked answer nothing and are kept with the turn the key
  answered (help excepted: help always acts); words begun after it answer it.
- Words said when no question waits for speech (she is being put through, say) answer
  nothing: they are kept with that turn, and join the summary of a help request open.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from assistant.channels.voice import calls
from assistant.channels.voice.calls import Listening
from assistant.dialog.model import Inbound
from assistant.runtime import Runtime
from assistant.services.recordings import Heard
from assistant.stream.logic import Answer, Listen, MatcherLogic, StreamCall, StreamStats, Utterance

log = logging.getLogger(__name__)

ASKED_MARGIN = timedelta(milliseconds=300)
"""Words begun this soon before a question was logged belong to it (her first frame is a
few frames older than the moment it was judged speech)."""


class HotlineLogic(MatcherLogic):
    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime.languages.default, runtime.config.voice.stream.confident,
                         runtime.languages.intents)
        self.rt = runtime

    def on_start(self, call: StreamCall) -> Listen:
        now = calls.listening(self.rt, call.call_sid)
        return self._listen(now, call.params.get("lang") or self.default_lang)

    def on_utterance(self, call: StreamCall, utterance: Utterance) -> Answer:
        now = calls.listening(self.rt, call.call_sid)
        if now is None:
            return Answer()
        heard = Heard(text=utterance.text, confidence=utterance.confidence if utterance.text else None,
                      engine=utterance.engine, path=utterance.audio_path, problem=utterance.problem)
        early = not utterance.help and self._too_early(utterance, now)
        if early or not now.waits_for_speech:
            log.info("stream %s: utterance %d answers nothing (%s); kept", call.stream_sid, utterance.number,
                     "begun before the question a key answered" if early else "no question is asked")
            calls.keep_words(self.rt, call.call_sid, heard, earlier_question=early)
            return Answer(listen=self._listen(now, call.lang))
        inbound = Inbound(text=utterance.text, speech_confidence=heard.confidence if utterance.text else 0.0,
                          help_heard=utterance.help)
        xml = calls.take_turn(self.rt, call.call_sid, now.step, inbound, heard)
        return Answer(twiml=xml, listen=self._listen(calls.listening(self.rt, call.call_sid), call.lang))

    def on_dtmf(self, call: StreamCall, digit: str) -> Answer:
        now = calls.listening(self.rt, call.call_sid)
        if now is None:
            return Answer()
        xml = calls.take_turn(self.rt, call.call_sid, now.step, Inbound(digits=digit))
        return Answer(twiml=xml, listen=self._listen(calls.listening(self.rt, call.call_sid), call.lang))

    def on_silence(self, call: StreamCall) -> Answer:
        now = calls.listening(self.rt, call.call_sid)
        if now is None or not now.waits_for_speech:
            return Answer(listen=self._listen(now, call.lang))
        if str(now.step) != call.listen.step:
            # A key moved the call on meanwhile: its question gets the whole wait.
            return Answer(listen=self._listen(now, call.lang))
        xml = calls.take_turn(self.rt, call.call_sid, now.step, Inbound(silence=True))
        return Answer(twiml=xml, listen=self._listen(calls.listening(self.rt, call.call_sid), call.lang))

    def on_stop(self, call: StreamCall, stats: StreamStats) -> None:
        if stats.missing or stats.late:
            log.warning("stream %s: %d frames missing, %d late (max lag %.2f s)", call.stream_sid,
                        stats.missing, stats.late, stats.max_lag_seconds)

    def _listen(self, now: Listening | None, lang: str) -> Listen:
        if now is None:
            return Listen(lang=lang)
        wait = (now.question_seconds + self.rt.config.voice.stream.no_answer_seconds
                if now.waits_for_speech else None)
        return Listen(lang=now.lang, hints=tuple(now.hints), grammar=tuple(now.grammar) or None,
                      step=str(now.step), no_answer_seconds=wait)

    @staticmethod
    def _too_early(utterance: Utterance, now: Listening) -> bool:
        """Begun before the question now asked, which a key's webhook brought."""
        return (utterance.step != str(now.step) and now.asked_at is not None
                and utterance.started_at < now.asked_at - ASKED_MARGIN)
