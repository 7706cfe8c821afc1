"""Every conversation the hotline holds, one module per flow, checked into one registry."""
from __future__ import annotations

from assistant.dialog.flows import book_doctor, checkin, help, medicine, menu, operator, order_meal, reminder
from assistant.dialog.states import Registry

FLOWS = (menu, book_doctor, order_meal, medicine, help, operator, checkin, reminder)
REGISTRY = Registry([state for flow in FLOWS for state in flow.STATES])

ENTRY = {"hotline": "menu.start", "checkin": "checkin.start", "medicine": "reminder.medicine",
         "appointment_reminder": "reminder.appointment", "callback": "menu.greet"}
"""Where each kind of conversation starts: an inbound call or SMS, or an outbound task."""
