"""Names per language, and the language each person is written to in.

A menu item's translations move from `name_zh` to `names` ({"zh": "普通餐"}); contacts, doctors
(their clinics) and meal providers get the language their messages are rendered in ("" for the
elder's or the organization's); a help request keeps why it was opened as a prompt (`reason`,
`reason_values`), rendered in each reader's language.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ITEMS = sa.table("meal_menu_items", sa.column("id", sa.Integer), sa.column("name_zh", sa.String),
                 sa.column("names", sa.JSON))


def upgrade() -> None:
    for table in ("contacts", "doctors", "meal_providers"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("language", sa.String(length=8), nullable=False, server_default=""))
    with op.batch_alter_table("help_requests") as batch:
        batch.add_column(sa.Column("reason", sa.String(length=40), nullable=False, server_default=""))
        batch.add_column(sa.Column("reason_values", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("meal_menu_items") as batch:
        batch.add_column(sa.Column("names", sa.JSON(), nullable=False, server_default="{}"))
    connection = op.get_bind()
    for item_id, name_zh in connection.execute(sa.select(ITEMS.c.id, ITEMS.c.name_zh)).all():
        if name_zh:
            connection.execute(ITEMS.update().where(ITEMS.c.id == item_id).values(names={"zh": name_zh}))
    with op.batch_alter_table("meal_menu_items") as batch:
        batch.drop_column("name_zh")


def downgrade() -> None:
    with op.batch_alter_table("meal_menu_items") as batch:
        batch.add_column(sa.Column("name_zh", sa.String(length=120), nullable=False, server_default=""))
    connection = op.get_bind()
    for item_id, names in connection.execute(sa.select(ITEMS.c.id, ITEMS.c.names)).all():
        if names and names.get("zh"):
            connection.execute(ITEMS.update().where(ITEMS.c.id == item_id).values(name_zh=names["zh"]))
    with op.batch_alter_table("meal_menu_items") as batch:
        batch.drop_column("names")
    with op.batch_alter_table("help_requests") as batch:
        batch.drop_column("reason_values")
        batch.drop_column("reason")
    for table in ("contacts", "doctors", "meal_providers"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("language")
