"""What the Now page shows: everything that needs a person, most pressing first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.orm import Session, joinedload

from assistant.db.models import (ORDER_MODELS, Call, Elder, HelpRequest, HelpStatus, OrderStatus, OutboundTask,
                                 OutboxMessage, Severity, SmsMessage, TaskKind, TaskStatus, Volunteer)

LIMIT = 25
"""Rows per section; a full section says "25+" and its full list is one click away."""
HELP_LIMIT = 40
RECENT = timedelta(hours=24)
NEW_CALLERS_SINCE = timedelta(days=7)
MISSED_TASK_STATUSES = (TaskStatus.MISSED, TaskStatus.ESCALATED, TaskStatus.FAILED)
FAILED_SMS_STATUSES = ("failed", "undelivered")
WAITING_ORDER_STATUSES = (OrderStatus.REQUESTED, OrderStatus.DISPATCHED)


@dataclass(frozen=True)
class WaitingOrder:
    kind: str
    order: Any


@dataclass(frozen=True)
class Board:
    help_requests: list[HelpRequest]
    missed_checkins: list[tuple[OutboundTask, Elder | None]]
    failed_alerts: list[SmsMessage]
    unsent: list[OutboxMessage]
    """Calls and SMS the carrier has not taken yet after a try, or may not have: being retried,
    unsure, or given up."""
    new_callers: list[Any]
    orders: list[WaitingOrder]
    volunteers: list[Volunteer]

    @property
    def is_calm(self) -> bool:
        return not (self.help_requests or self.missed_checkins or self.failed_alerts or self.unsent
                    or self.new_callers or self.orders)


def open_help_requests(session: Session) -> list[HelpRequest]:
    """Unresolved requests: urgent first, then not yet acknowledged, then longest waiting."""
    return list(session.scalars(
        select(HelpRequest)
        .options(joinedload(HelpRequest.elder), joinedload(HelpRequest.assigned_to))
        .where(HelpRequest.status.in_((HelpStatus.OPEN, HelpStatus.ACKNOWLEDGED)))
        .order_by(case((HelpRequest.severity == Severity.URGENT, 0), else_=1),
                  case((HelpRequest.status == HelpStatus.OPEN, 0), else_=1), HelpRequest.created_at)
        .limit(HELP_LIMIT)))


def _new_callers(session: Session, now: datetime) -> list[Any]:
    """Numbers not in the directory that called or texted lately, with how often and when."""
    since = now - NEW_CALLERS_SINCE
    calls = select(Call.from_number.label("phone"), literal("call").label("channel"),
                   Call.started_at.label("at")).where(
        Call.elder_id.is_(None), Call.direction == "inbound", Call.started_at >= since)
    texts = select(SmsMessage.from_number.label("phone"), literal("sms").label("channel"),
                   SmsMessage.created_at.label("at")).where(
        SmsMessage.elder_id.is_(None), SmsMessage.direction == "inbound",
        SmsMessage.created_at >= since)
    contacts = union_all(calls, texts).subquery()
    return list(session.execute(
        select(contacts.c.phone, func.count().label("times"), func.max(contacts.c.at).label("last"))
        .group_by(contacts.c.phone).order_by(func.max(contacts.c.at).desc()).limit(LIMIT)))


def _waiting_orders(session: Session) -> list[WaitingOrder]:
    waiting = []
    for kind, model in ORDER_MODELS.items():
        rows = session.scalars(select(model).options(joinedload(model.elder))
                               .where(model.status.in_(WAITING_ORDER_STATUSES))
                               .order_by(model.created_at).limit(LIMIT))
        waiting += [WaitingOrder(kind, order) for order in rows]
    return sorted(waiting, key=lambda w: w.order.created_at)[:LIMIT]


def build(session: Session, now: datetime) -> Board:
    missed = list(session.execute(
        select(OutboundTask, Elder).outerjoin(Elder, OutboundTask.elder_id == Elder.id)
        .where(OutboundTask.kind == TaskKind.CHECKIN, OutboundTask.status.in_(MISSED_TASK_STATUSES),
               OutboundTask.due_at >= now - RECENT)
        .order_by(OutboundTask.due_at.desc()).limit(LIMIT)).tuples())
    failed = list(session.scalars(
        select(SmsMessage).options(joinedload(SmsMessage.elder))
        .where(SmsMessage.created_at >= now - RECENT, SmsMessage.direction == "outbound",
               SmsMessage.status.in_(FAILED_SMS_STATUSES) | SmsMessage.flagged.is_(True))
        .order_by(SmsMessage.created_at.desc()).limit(LIMIT)))
    unsent = list(session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.created_at >= now - RECENT,
               OutboxMessage.status.in_(("failed", "unsure"))
               | ((OutboxMessage.status == "pending") & (OutboxMessage.attempts > 0)))
        .order_by(OutboxMessage.created_at.desc()).limit(LIMIT)))
    volunteers = list(session.scalars(select(Volunteer).where(Volunteer.active.is_(True))
                                      .order_by(Volunteer.name)))
    return Board(help_requests=open_help_requests(session), missed_checkins=missed,
                 failed_alerts=failed, unsent=unsent, new_callers=_new_callers(session, now),
                 orders=_waiting_orders(session), volunteers=volunteers)
