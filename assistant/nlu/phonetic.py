"""How words sound, for matching what a caller meant rather than what was typed.

Chinese input methods type by sound, so a wrong character usually has the right
pinyin (预越 for 预约, 五饭 for 午饭). Tones are dropped: IME slips often change them.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from pypinyin.pinyin_dict import pinyin_dict


@lru_cache(maxsize=8192)
def readings(char: str) -> tuple[str, ...]:
    """The toneless pinyin readings of a Chinese character, most common first (乐: le,
    yue); the character itself for anything else."""
    found = pinyin_dict.get(ord(char))
    if not found:
        return (char,)
    plain = ("".join(c for c in unicodedata.normalize("NFD", reading)
                     if not unicodedata.combining(c)).replace("ü", "v")
             for reading in found.split(","))
    return tuple(dict.fromkeys(plain))


def syllable(char: str) -> str:
    """The first toneless reading of a character."""
    return readings(char)[0]


def sounds(text: str) -> tuple[str, ...]:
    """One syllable per character."""
    return tuple(syllable(c) for c in text)


def sound_key(text: str, spaced: bool) -> str:
    """A key under which names that sound alike collide: letters only for a language
    written with spaces ("Pat-el" -> "patel"), pinyin syllables otherwise."""
    if spaced:
        return "".join(c for c in text.lower() if c.isalnum())
    return " ".join(syllable(c) for c in text.lower() if not c.isspace())
