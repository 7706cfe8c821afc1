"""All tables, grouped by domain. Import from here: `from assistant.db.models import Elder`."""
from assistant.db.base import Base
from assistant.db.models.people import Contact, Doctor, Elder, Volunteer
from assistant.db.models.orders import Appointment, MealMenuItem, MealOrder, MealProvider, Purchase
from assistant.db.models.medication import DoseEvent, Medication
from assistant.db.models.help import HelpRequest
from assistant.db.models.conversation import (Call, ConversationSession, SmsMessage,
                                                   SmsOptOut, Turn)
from assistant.db.models.outbound import OutboundTask, SchedulerLock
from assistant.db.models.audit import AuditLog, DashboardSession, OutboxMessage, SignInFailure

__all__ = [
    "Base", "Elder", "Contact", "Volunteer", "Doctor", "Appointment", "MealProvider",
    "MealMenuItem", "MealOrder", "Purchase", "Medication", "DoseEvent", "HelpRequest",
    "Call", "Turn", "SmsMessage", "SmsOptOut", "ConversationSession", "OutboundTask", "SchedulerLock",
    "AuditLog", "DashboardSession", "OutboxMessage", "SignInFailure",
]
