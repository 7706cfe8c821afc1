"""Errors raised by the speech package, under one base class."""
from __future__ import annotations


class SpeechError(Exception):
    """Base class: anything that stops a recording from being transcribed."""


class AudioError(SpeechError):
    """The audio cannot be read (not a WAV file, truncated, unsupported encoding).

    The message is one line, fit to show next to the file name.
    """


class ModelError(SpeechError):
    """A speech model is missing, incomplete or fails to load."""
