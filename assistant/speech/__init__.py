"""Offline speech recognition for telephone audio: Vosk, Whisper, audio utilities.

Callers' voices never leave the machine. Use `recognizer_for(config, lang)` to get the
shared recognizer for a language (None: keypad only) and `read_wav` to load a
recording; nothing here knows about intents or dialogs.
"""
from assistant.speech.audio import Audio, level_dbfs, read_wav, resample, trim_silence
from assistant.speech.detector import has_speech
from assistant.speech.engines import KEYPAD, choose_engine, engines_by_language, recognizer_for
from assistant.speech.errors import AudioError, ModelError, SpeechError
from assistant.speech.recognizer import Recognizer, Transcript

__all__ = [
    "Audio", "AudioError", "KEYPAD", "ModelError", "Recognizer", "SpeechError", "Transcript",
    "choose_engine", "engines_by_language", "has_speech", "level_dbfs", "read_wav",
    "recognizer_for", "resample", "trim_silence",
]
