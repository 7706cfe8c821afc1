"""What the recognizer is told to expect: names first, never the words it would invent."""
from assistant.dialog.conversations import ENGINE
from assistant.dialog.flows import REGISTRY
from assistant.dialog.hints import step_hints
from assistant.dialog.model import Choice
from assistant.nlu import Directory, DirectoryEntry, load_intent_data

DIRECTORY = Directory(doctors=(DirectoryEntry("Dr. Ana Lopez", ("lopez",)),),
                      medications=(DirectoryEntry("Metformin"),))


def test_directory_names_come_first_then_choices_then_intent_phrases() -> None:
    hints = step_hints(load_intent_data(), "en", ENGINE.intents_heard_at(REGISTRY["menu.main"]), DIRECTORY,
                       [Choice("1", "lunch", "lunch")])
    assert hints[:3] == ["Dr. Ana Lopez", "Metformin", "lunch"]
    assert len(hints) > 5


def test_help_yes_and_no_are_never_hinted() -> None:
    data = load_intent_data()
    never = {p.lower() for intent in ("help", "yes", "no") for p in data.hint_phrases("en", [intent])}
    confirm = REGISTRY["book_doctor.confirm"]
    hints = step_hints(load_intent_data(), "en", ENGINE.intents_heard_at(confirm), DIRECTORY,
                       [Choice("1", "yes", "yes"), Choice("2", "no", "no")])
    assert not never & {h.lower() for h in hints}
