"""An elder's last 30 days at a glance: was each check-in answered, were the doses taken."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.db.models import DoseEvent, DoseStatus, Elder, OutboundTask, TaskKind, TaskStatus

DAYS = 30
ANSWERED = (TaskStatus.DONE,)
UNANSWERED = (TaskStatus.MISSED, TaskStatus.ESCALATED, TaskStatus.FAILED)


@dataclass(frozen=True)
class Day:
    day: date
    checkin: str
    """"answered", "missed" or "" when no check-in was due or its outcome is not known yet."""
    doses_taken: int
    doses_due: int

    @property
    def state(self) -> str:
        """"good", "bad" or "none": the tile's colour, backed by the symbols shown in it."""
        if self.checkin == "missed" or self.doses_taken < self.doses_due:
            return "bad"
        return "good" if self.checkin or self.doses_due else "none"


@dataclass(frozen=True)
class Summary:
    days: list[Day]
    checkins_answered: int
    checkins_due: int
    doses_taken: int
    doses_due: int


def last_days(session: Session, elder: Elder, today: date) -> Summary:
    """The elder's last DAYS days up to `today` (her calendar day)."""
    zone = ZoneInfo(elder.timezone)
    first = today - timedelta(days=DAYS - 1)
    checkins: dict[date, str] = {}
    tasks = session.execute(select(OutboundTask.due_at, OutboundTask.status).where(
        OutboundTask.elder_id == elder.id, OutboundTask.kind == TaskKind.CHECKIN,
        OutboundTask.due_at >= datetime.combine(first, time(), zone),
        OutboundTask.due_at < datetime.combine(today + timedelta(days=1), time(), zone)))
    for due_at, status in tasks:
        day = due_at.astimezone(zone).date()
        if status in ANSWERED:
            checkins[day] = "answered"
        elif status in UNANSWERED and checkins.get(day) != "answered":
            checkins[day] = "missed"
    taken: Counter[date] = Counter()
    due: Counter[date] = Counter()
    doses = session.execute(select(DoseEvent.local_date, DoseEvent.status, func.count()).where(
        DoseEvent.elder_id == elder.id, DoseEvent.local_date >= first, DoseEvent.local_date <= today,
        DoseEvent.status != DoseStatus.PENDING).group_by(DoseEvent.local_date, DoseEvent.status))
    for day, status, count in doses:
        due[day] += count
        if status == DoseStatus.TAKEN:
            taken[day] += count
    days = [Day(d, checkins.get(d, ""), taken[d], due[d])
            for d in (first + timedelta(days=i) for i in range(DAYS))]
    return Summary(days=days, checkins_answered=sum(v == "answered" for v in checkins.values()),
                   checkins_due=len(checkins), doses_taken=sum(taken.values()),
                   doses_due=sum(due.values()))
