"""All tables, grouped by domain. Import from here: `from assistant.db.models import Elder`."""
from assistant.db.base import Base
from assistant.db.models.people import Contact, Doctor, Elder, Volunteer
from assistant.db.models.orders import (OPEN_ORDER_STATUSES, ORDER_MODELS, Appointment, MealMenuItem,
                                        MealOrder, MealProvider, Order, OrderKind, OrderStatus, Purchase,
                                        kind_of)
from assistant.db.models.medication import DoseEvent, DoseStatus, Medication
from assistant.db.models.help import HelpKind, HelpRequest, HelpStatus, Severity
from assistant.db.models.conversation import (Call, ConversationSession, SmsMessage,
                                                   SmsOptOut, Turn)
from assistant.db.models.outbound import AWAITING, OutboundTask, SchedulerLock, TaskKind, TaskStatus
from assistant.db.models.audit import AuditLog, DashboardSession, OutboxMessage, SignInFailure

__all__ = [
    "Base", "Elder", "Contact", "Volunteer", "Doctor", "Appointment", "MealProvider",
    "MealMenuItem", "MealOrder", "Purchase", "Medication", "DoseEvent", "HelpRequest",
    "Call", "Turn", "SmsMessage", "SmsOptOut", "ConversationSession", "OutboundTask", "SchedulerLock",
    "AuditLog", "DashboardSession", "OutboxMessage", "SignInFailure",
    "OrderStatus", "OrderKind", "Order", "ORDER_MODELS", "OPEN_ORDER_STATUSES", "kind_of",
    "DoseStatus", "HelpStatus", "HelpKind", "Severity", "TaskKind", "TaskStatus", "AWAITING",
]
