"""Outbound task keys and the facts about each kind of task that every module shares."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any, TypeVar

from assistant.db.models import OutboundTask, TaskKind, TaskStatus

REPLY_KINDS = (TaskKind.CHECKIN, TaskKind.MEDICINE)
"""Kinds whose SMS asks for a reply: no reply within the retry interval counts as unanswered."""


@dataclass(frozen=True)
class TaskKey:
    """`<owner>:<kind>:<local date>:<slot>`; the owner is an elder id, `provider<id>` or a phone."""

    owner: str
    kind: str
    day: date
    slot: str

    def __str__(self) -> str:
        return f"{self.owner}:{self.kind}:{self.day.isoformat()}:{self.slot}"

    @classmethod
    def parse(cls, key: str) -> "TaskKey":
        owner, kind, day, slot = key.split(":", 3)
        return cls(owner, kind, date.fromisoformat(day), slot)


def task_row(key: TaskKey, *, elder_id: int | None, due_at: datetime, channel: str,
             payload: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Every column of a new task, for bulk inserts."""
    return {"key": str(key), "kind": key.kind, "elder_id": elder_id, "due_at": due_at,
            "next_attempt_at": due_at, "attempt": 0, "status": TaskStatus.PENDING, "channel": channel,
            "call_sids": [], "outcome": "", "payload": payload, "created_at": now, "updated_at": now}


def needs_reply(task: OutboundTask) -> bool:
    return task.channel == "sms" and task.kind in REPLY_KINDS


T = TypeVar("T")


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of at most `size`, for statements bounded in size."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
