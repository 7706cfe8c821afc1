"""Statuses and kinds are checked by the database, with the values of the StrEnums in db.models.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ORDER_STATUS = ("requested", "dispatched", "accepted", "done", "cancelled")
CHECKS = {
    "appointments": {"status": ORDER_STATUS},
    "meal_orders": {"status": ORDER_STATUS},
    "purchases": {"status": ORDER_STATUS},
    "help_requests": {
        "kind": ("emergency", "callback", "missed_checkin", "voice_message", "new_caller", "failed_alert",
                 "missed_doses", "request"),
        "severity": ("urgent", "normal"),
        "status": ("open", "acknowledged", "resolved")},
    "outbound_tasks": {
        "kind": ("checkin", "medicine", "appointment_reminder", "provider_summary", "callback"),
        "status": ("pending", "placing", "in_progress", "retry", "done", "missed", "escalated", "skipped",
                   "failed")},
    "dose_events": {"status": ("pending", "taken", "missed", "later")},
}


def upgrade() -> None:
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column, values in columns.items():
                listed = ", ".join(f"'{value}'" for value in values)
                batch.create_check_constraint(column, f"{column} IN ({listed})")


def downgrade() -> None:
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_constraint(f"ck_{table}_{column}", type_="check")
