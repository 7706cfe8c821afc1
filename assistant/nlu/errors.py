"""Exceptions of the NLU package, all under one base class."""
from __future__ import annotations


class NluError(Exception):
    """Base class of every error raised by `assistant.nlu`."""


class UnknownLanguageError(NluError):
    """The language code has no folder under `intents/`."""


class IntentDataError(NluError):
    """An intent data file is missing, malformed or disagrees with the registry.

    The message names the file, the line when known, and what is wrong; several
    problems are reported together, one per line.
    """
