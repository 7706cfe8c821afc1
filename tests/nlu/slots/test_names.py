"""Doctor and medication names: aliases, misspellings, mishearings, and no false finds."""
from __future__ import annotations

import pytest

from assistant.nlu import Directory, DirectoryEntry, Expectation, understand

DIRECTORY = Directory(
    doctors=(DirectoryEntry("Dr. Sarah Kim", ("Kim",)), DirectoryEntry("Dr. Raj Patel", ("Patel",)),
             DirectoryEntry("李医生", ("李大夫",)), DirectoryEntry("Dr. Ana Lopez")),
    medications=(DirectoryEntry("Amlodipine"), DirectoryEntry("Metformin", ("glucophage",)),
                 DirectoryEntry("阿司匹林"), DirectoryEntry("钙片")))
NAMES = Expectation(slots=("doctor", "medication"))


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("dr patle", "en", {"doctor": "Dr. Raj Patel"}), ("pat el", "en", {"doctor": "Dr. Raj Patel"}),
    ("doctor kin", "en", {"doctor": "Dr. Sarah Kim"}), ("Sarah Kim", "en", {"doctor": "Dr. Sarah Kim"}),
    ("lopez", "en", {"doctor": "Dr. Ana Lopez"}), ("amlo dipine", "en", {"medication": "Amlodipine"}),
    ("my glucophage", "en", {"medication": "Metformin"}), ("metformen", "en", {"medication": "Metformin"}),
    ("李大夫", "zh", {"doctor": "李医生"}), ("李医师", "zh", {"doctor": "李医生"}),
    ("阿斯匹林", "zh", {"medication": "阿司匹林"}),
    ("a doctor", "en", {}), ("the lady doctor", "en", {}), ("my pills", "en", {}),
    ("in the kitchen", "en", {}), ("大夫", "zh", {}), ("降压药", "zh", {}),
])
def test_names(text: str, lang: str, expected: dict[str, str]) -> None:
    assert understand(text, lang, expected=NAMES, directory=DIRECTORY).slots == expected


def test_no_directory_no_names() -> None:
    assert understand("book dr kim", "en", expected=NAMES).slots == {}
