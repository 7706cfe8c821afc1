"""The meal menu as the dialog offers it: active items in their order, as plain values
(cached per process by `Runtime.menu`)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Elder, MealMenuItem


@dataclass(frozen=True)
class MenuEntry:
    code: str
    name: str
    name_zh: str


def menu_from_db(session: Session) -> tuple[MenuEntry, ...]:
    items = session.scalars(select(MealMenuItem).where(MealMenuItem.active.is_(True))
                            .order_by(MealMenuItem.position, MealMenuItem.id))
    return tuple(MenuEntry(item.code, item.name, item.name_zh or "") for item in items)


def default_item(menu: tuple[MenuEntry, ...], elder: Elder | None) -> MenuEntry | None:
    """The elder's diet if it is on the menu, else the first item of the menu."""
    diet = elder.diet if elder else ""
    return next((item for item in menu if item.code == diet), menu[0] if menu else None)


def item_name(item: MenuEntry | MealMenuItem, lang: str) -> str:
    return item.name_zh if lang == "zh" and item.name_zh else item.name
