"""The interface in every language with a catalog (`i18n/<lang>.yaml`: English and 中文);
strings live there, never in templates.

`t("nav.now")` looks a key up in the language of the current request: the one chosen with
the language switch, else the signed-in volunteer's, else the browser's preference. What
the hotline itself wrote (why a help request was opened, a menu item's name) is shown in
that language too where the hotline speaks it.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from assistant.db.models import HelpRequest, MealMenuItem
from assistant.services import help as help_service
from assistant.services.meal_menu import item_name
from assistant.web import runtime
from assistant.web.dashboard.urls import local_or

CATALOG_DIR = Path(__file__).resolve().parent / "i18n"
LANGUAGES = tuple(sorted(path.stem for path in CATALOG_DIR.glob("*.yaml")))
"""The dashboard's languages: one per catalog."""

bp = Blueprint("i18n", __name__)


def _flatten(node: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in node.items():
        if not isinstance(key, str):
            raise ValueError(f"catalog key {prefix}{key!r} is not text (quote yes/no/on/off)")
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every key of one language's catalog, dotted ("nav.now")."""
    data = yaml.safe_load((CATALOG_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    return _flatten(data)


def current_language() -> str:
    if "lang" in g:
        return g.lang
    volunteer = g.get("volunteer")
    chosen = session.get("lang") or (volunteer.language if volunteer else None)
    g.lang = chosen if chosen in LANGUAGES else (request.accept_languages.best_match(LANGUAGES) or "en")
    return g.lang


def texts() -> dict[str, str]:
    """The current request's catalog (looked up once per request: pages ask hundreds of times)."""
    if "texts" not in g:
        g.texts = catalog(current_language())
    return g.texts


def t(key: str, **values: Any) -> str:
    """The current language's text for `key`, with `{placeholders}` filled in."""
    text = texts().get(key)
    if text is None:
        raise KeyError(f"no text for {key!r} in the {current_language()} catalog")
    return text.format(**values) if values else text


def t_value(group: str, value: str | None) -> str:
    """A stored code shown in words ("status", "open" -> "Open"); unknown codes as they are."""
    if not value:
        return ""
    return texts().get(f"{group}.{value}", value)


def help_said(request: HelpRequest) -> str:
    """Why the request was opened and what was said, in the page's language."""
    return help_service.said(runtime().languages, request, current_language(), chars=2000)


def menu_item_name(item: MealMenuItem) -> str:
    return item_name(item, current_language())


def translate_if_key(text: str) -> str:
    """Form labels, choices and errors are catalog keys, except names from the database."""
    return texts().get(text, text)


@bp.post("/language")
def switch() -> ResponseReturnValue:
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(local_or(request.form.get("next"), url_for("dashboard.now.index")))


def init_blueprint(parent: Blueprint) -> None:
    @parent.app_context_processor
    def _helpers() -> dict[str, Any]:
        return {"t": t, "tv": t_value, "tr": translate_if_key, "lang": current_language,
                "LANGUAGES": LANGUAGES, "help_said": help_said, "menu_item_name": menu_item_name}
