"""The review queue: turns a person listens to and corrects, and the corrections turned
into candidate examples for `intents/` so the matcher learns from real calls."""
from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Call, Elder, Turn, Volunteer
from assistant.nlu.loader import DEFAULT_ROOT, REGISTRY_FILE
from assistant.services import audit

CANDIDATES_HEADER = ("# Candidate examples from calls corrected in the dashboard's review queue.\n"
                     "# Read them, then move the good ones into intents/{lang}/{intent}.yaml.\n")


class UnknownIntent(ValueError):
    """The intent is not in the registry (`intents/intents.yaml`)."""


@cache
def intent_names(root: Path = DEFAULT_ROOT) -> tuple[str, ...]:
    """Intent names in registry order: the choices a reviewer picks from (read once)."""
    registry = yaml.safe_load((root / REGISTRY_FILE).read_text(encoding="utf-8"))
    return tuple(registry["intents"])


def correct(session: Session, turn: Turn, *, text: str, intent: str | None,
            volunteer: Volunteer, actor: str) -> None:
    """Store what was really said and meant; `intent` None means nothing fits."""
    if intent is not None and intent not in intent_names():
        raise UnknownIntent(intent)
    turn.corrected_text = text.strip()
    turn.corrected_intent = intent
    turn.corrected_by_id = volunteer.id
    turn.needs_review = False
    audit.record(session, actor, "turn.corrected", "turn", turn.id, intent=intent,
                 heard=turn.transcript, said=turn.corrected_text)


def corrected_examples(session: Session) -> dict[tuple[str, str], list[str]]:
    """(language, intent) -> distinct corrected sentences, in the order they were corrected."""
    rows = session.execute(
        select(Turn.corrected_text, Turn.corrected_intent, Call.language, Elder.language)
        .join(Call, Turn.call_id == Call.id).outerjoin(Elder, Call.elder_id == Elder.id)
        .where(Turn.corrected_intent.is_not(None), Turn.corrected_text.is_not(None),
               Turn.corrected_text != "")
        .order_by(Turn.id))
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for text, intent, call_language, elder_language in rows:
        key = (call_language or elder_language or "en", intent)
        if text not in examples[key]:
            examples[key].append(text)
    return dict(examples)


def export_candidates(session: Session, out_dir: Path) -> dict[str, int]:
    """Write `<out_dir>/<lang>/<intent>.yaml` per language and intent; return counts by file."""
    written: dict[str, int] = {}
    for (lang, intent), sentences in sorted(corrected_examples(session).items()):
        path = out_dir / lang / f"{intent}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = yaml.safe_dump({"language": lang, "intent": intent, "examples": sentences},
                              allow_unicode=True, sort_keys=False)
        path.write_text(CANDIDATES_HEADER.format(lang=lang, intent=intent) + body, encoding="utf-8")
        written[f"{lang}/{intent}.yaml"] = len(sentences)
    return written
