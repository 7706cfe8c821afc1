"""Load, before the first request, what the first caller would otherwise wait for.

Intent data, prompts, SMS keywords and speech models are read on first use and cached
per process. Under concurrent webhooks a cold process read them once per request thread
at the same time, and the first texts after a start waited up to 2.5 s.
"""
from __future__ import annotations

import logging

from assistant.channels.sms import keywords
from assistant.nlu import understand
from assistant.runtime import Runtime
from assistant.speech.engines import engines_by_language, recognizer_for
from assistant.speech.errors import SpeechError

log = logging.getLogger(__name__)


def warm_up(rt: Runtime) -> None:
    """Load everything. A speech model that cannot be loaded is logged (that language
    falls back to the keypad), never raised."""
    for lang in rt.languages.codes:
        understand("hello", lang, data=rt.languages.intents)
        rt.languages.written_unspaced(lang)
    keywords.table(rt.languages)
    for lang, engine in engines_by_language(rt.config, rt.languages.codes).items():
        if engine != "keypad":
            try:
                recognizer_for(rt.config, lang)
            except SpeechError as exc:
                log.error("speech model for %s cannot be loaded: %s", lang, exc)
