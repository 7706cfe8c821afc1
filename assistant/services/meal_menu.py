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
    """In the organization's default language."""
    names: dict[str, str]
    """In other languages."""


def menu_from_db(session: Session) -> tuple[MenuEntry, ...]:
    items = session.scalars(select(MealMenuItem).where(MealMenuItem.active.is_(True))
                            .order_by(MealMenuItem.position, MealMenuItem.id))
    return tuple(MenuEntry(item.code, item.name, dict(item.names or {})) for item in items)


def default_item(menu: tuple[MenuEntry, ...], elder: Elder | None) -> MenuEntry | None:
    """The elder's diet if it is on the menu, else the first item of the menu."""
    diet = elder.diet if elder else ""
    return next((item for item in menu if item.code == diet), menu[0] if menu else None)


def item_name(item: MenuEntry | MealMenuItem, lang: str) -> str:
    """The item's name in `lang`, or in the default language when it has none in `lang`."""
    return (item.names or {}).get(lang) or item.name
