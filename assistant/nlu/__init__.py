"""Natural-language understanding: what an elder said or texted, as an intent and slots.

    from assistant.nlu import understand
    understand("can i see dr patle tmrw afternoon", "en", directory=..., now=..., tz=...)

The words live in `intents/` (see `intents/intents.yaml`); this package holds none.
"""
from assistant.nlu.data import IntentData, load_intent_data
from assistant.nlu.errors import IntentDataError, NluError, UnknownLanguageError
from assistant.nlu.model import Directory, DirectoryEntry, Expectation, Understanding
from assistant.nlu.understand import understand

__all__ = [
    "understand", "Understanding", "Expectation", "Directory", "DirectoryEntry",
    "load_intent_data", "IntentData", "NluError", "UnknownLanguageError", "IntentDataError",
]
