"""`assistant import FILE.yaml`: doctors, volunteers, meals and elders, all or nothing.

Every entry is checked first and every problem collected (entry, field, what is wrong), so a
coordinator fixes a file in one pass; only a clean file is written, in one transaction.
Re-importing updates by natural key (doctor and provider by name, volunteer by phone, menu
item by code, elder by phone and name, contact by phone, medication by name).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.config import check_timezone, parse_hhmm
from assistant.db.models import (Contact, Doctor, Elder, MealMenuItem, MealProvider, Medication,
                                 Volunteer)
from assistant.passwords import hash_password, is_demo_password, verify_password
from assistant.phones import PhoneError, normalize
from assistant.services import audit

ROLES = ("volunteer", "admin")
CHANNELS = ("call", "sms")


@dataclass(frozen=True)
class Problem:
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.entry}: {self.field}: {self.message}"


class DirectoryImportError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportSummary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {"created": dict(self.created), "updated": dict(self.updated)}


def load_file(path: str | Path) -> Any:
    """Read the YAML file; a file that cannot be read or parsed is one problem."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DirectoryImportError([Problem(name, "file", f"cannot be read ({exc})")]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        reason = getattr(exc, "problem", None) or "not valid YAML"
        raise DirectoryImportError([Problem(name, where, f"not valid YAML: {reason}")]) from None


class _Checker:
    """Validates raw entries into clean values, collecting every problem on the way."""

    def __init__(self, region: str, languages: Sequence[str]) -> None:
        self.region = region
        self.languages = tuple(languages)
        self.problems: list[Problem] = []

    def problem(self, entry: str, field_name: str, message: str) -> None:
        self.problems.append(Problem(entry, field_name, message))

    def mapping(self, entry: str, value: Any) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(entry, "entry", "must be a mapping of fields")
            return None
        return value

    def entries(self, where: str, value: Any) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, "section", "must be a list of entries")
            return []
        return value

    def text(self, entry: str, item: dict[str, Any], key: str, *, required: bool = False) -> str:
        value = item.get(key)
        if value is None or value == "":
            if required:
                self.problem(entry, key, "is required")
            return ""
        if not isinstance(value, (str, int, float)):
            self.problem(entry, key, "must be text")
            return ""
        return str(value).strip()

    def phone(self, entry: str, item: dict[str, Any], key: str = "phone", *,
              required: bool = True) -> str:
        raw = self.text(entry, item, key, required=required)
        if not raw:
            return ""
        try:
            return normalize(raw, self.region)
        except PhoneError as exc:
            self.problem(entry, key, str(exc))
            return ""

    def choice(self, entry: str, item: dict[str, Any], key: str, allowed: tuple[str, ...],
               default: str) -> str:
        value = self.text(entry, item, key) or default
        if value not in allowed:
            self.problem(entry, key, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def language(self, entry: str, item: dict[str, Any], default: str = "") -> str:
        """One of the hotline's languages, or `default` when not given ("" for a person who
        reads the language of whom they are told about, or of the organization)."""
        value = self.text(entry, item, "language") or default
        if value and value not in self.languages:
            self.problem(entry, "language", f"{value!r} is not one of {', '.join(self.languages)}")
        return value

    def translations(self, entry: str, item: dict[str, Any]) -> dict[str, str]:
        """`names: {lang: name}`, or the older `name_zh`."""
        names = item.get("names") or {}
        if not isinstance(names, dict) or not all(isinstance(v, (str, int)) for v in names.values()):
            self.problem(entry, "names", "must map languages to names, such as {zh: 普通餐}")
            return {}
        clean = {str(lang): str(name).strip() for lang, name in names.items() if str(name).strip()}
        if legacy := self.text(entry, item, "name_zh"):
            clean.setdefault("zh", legacy)
        for lang in clean:
            if lang not in self.languages:
                self.problem(entry, "names", f"{lang!r} is not one of {', '.join(self.languages)}")
        return clean

    def hhmm(self, entry: str, key: str, value: Any) -> str:
        try:
            parse_hhmm(value)
        except ValueError as exc:
            self.problem(entry, key, str(exc))
            return ""
        return str(value)

    def timezone(self, entry: str, item: dict[str, Any], default: str) -> str:
        value = self.text(entry, item, "timezone") or default
        try:
            check_timezone(value)
        except ValueError as exc:
            self.problem(entry, "timezone", str(exc))
        return value

    def flag(self, entry: str, item: dict[str, Any], key: str, default: bool = False) -> bool:
        value = item.get(key, default)
        if not isinstance(value, bool):
            self.problem(entry, key, "must be true or false")
            return default
        return value

    def names(self, entry: str, item: dict[str, Any], key: str) -> list[str]:
        value = item.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            self.problem(entry, key, "must be a list of names")
            return []
        return [str(v).strip() for v in value if str(v).strip()]


def _label(section: str, index: int, item: Any) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return f"{section}[{index}]" + (f" ({name})" if name else "")


def import_directory(session: Session, data: Any, *, region: str, default_timezone: str,
                     languages: Sequence[str], actor: str = "cli:import") -> ImportSummary:
    """Check everything in `data`, then write it; raise DirectoryImportError with every problem.
    `languages` are the hotline's, the organization's default first."""
    check = _Checker(region, languages)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DirectoryImportError([Problem("file", "top level",
                                            "must be a mapping with doctors, volunteers, meals, elders")])
    for key in data:
        if key not in ("doctors", "volunteers", "meals", "elders"):
            check.problem("file", str(key), "is not a known section (doctors, volunteers, meals, elders)")

    doctors = _check_doctors(check, data.get("doctors"))
    volunteers = _check_volunteers(check, session, data.get("volunteers"))
    provider, menu = _check_meals(check, data.get("meals"))
    known_doctors = {d["name"] for d in doctors} | set(session.scalars(select(Doctor.name)))
    known_menu = {m["code"] for m in menu} | set(session.scalars(select(MealMenuItem.code)))
    elders = _check_elders(check, data.get("elders"), known_doctors, known_menu, default_timezone)
    if check.problems:
        raise DirectoryImportError(check.problems)

    summary = ImportSummary()
    _write_doctors(session, doctors, summary)
    _write_volunteers(session, volunteers, summary)
    _write_meals(session, provider, menu, summary)
    _write_elders(session, elders, summary)
    audit.record(session, actor, "directory.import", **summary.as_dict())
    return summary


def _check_doctors(check: _Checker, raw: Any) -> list[dict[str, Any]]:
    clean, seen = [], set()
    for i, item in enumerate(check.entries("doctors", raw)):
        entry = _label("doctors", i, item)
        if (item := check.mapping(entry, item)) is None:
            continue
        name = check.text(entry, item, "name", required=True)
        if name in seen:
            check.problem(entry, "name", f"{name!r} is listed twice")
        seen.add(name)
        clean.append({"name": name, "clinic": check.text(entry, item, "clinic"),
                      "phone": check.phone(entry, item, required=False),
                      "aliases": check.names(entry, item, "aliases"), "language": check.language(entry, item)})
    return clean


def _check_volunteers(check: _Checker, session: Session, raw: Any) -> list[dict[str, Any]]:
    clean, phones, emails = [], Counter[str](), Counter[str]()
    for i, item in enumerate(check.entries("volunteers", raw)):
        entry = _label("volunteers", i, item)
        if (item := check.mapping(entry, item)) is None:
            continue
        phone = check.phone(entry, item)
        email = check.text(entry, item, "email").lower() or None
        if phone and phones[phone]:
            check.problem(entry, "phone", f"{phone} is already another volunteer's phone in this file")
        if email and emails[email]:
            check.problem(entry, "email", f"{email} is already another volunteer's email in this file")
        phones[phone] += 1
        if email:
            emails[email] += 1
            owner = session.scalar(select(Volunteer).where(Volunteer.email == email))
            if owner is not None and owner.phone != phone:
                check.problem(entry, "email", f"{email} belongs to another volunteer already")
        clean.append({"name": check.text(entry, item, "name", required=True), "phone": phone,
                      "email": email, "password": check.text(entry, item, "password"),
                      "role": check.choice(entry, item, "role", ROLES, "volunteer"),
                      "on_call": check.flag(entry, item, "on_call"),
                      "language": check.language(entry, item, check.languages[0])})
    return clean


def _check_meals(check: _Checker, raw: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    if raw is None:
        return None, []
    if (meals := check.mapping("meals", raw)) is None:
        return None, []
    provider = None
    if meals.get("provider") is not None:
        if (item := check.mapping("meals.provider", meals["provider"])) is not None:
            provider = {"name": check.text("meals.provider", item, "name", required=True),
                        "phone": check.phone("meals.provider", item),
                        "language": check.language("meals.provider", item)}
    menu, codes = [], set()
    for i, item in enumerate(check.entries("meals.menu", meals.get("menu"))):
        entry = _label("meals.menu", i, item)
        if (item := check.mapping(entry, item)) is None:
            continue
        code = check.text(entry, item, "code", required=True)
        if code in codes:
            check.problem(entry, "code", f"{code!r} is listed twice")
        codes.add(code)
        menu.append({"code": code, "name": check.text(entry, item, "name", required=True) or code,
                     "names": check.translations(entry, item), "position": i})
    return provider, menu


def _check_elders(check: _Checker, raw: Any, doctors: set[str], menu: set[str],
                  default_timezone: str) -> list[dict[str, Any]]:
    clean, seen = [], set()
    for i, item in enumerate(check.entries("elders", raw)):
        entry = _label("elders", i, item)
        if (item := check.mapping(entry, item)) is None:
            continue
        name = check.text(entry, item, "name", required=True)
        phone = check.phone(entry, item)
        if phone and (phone, name) in seen:
            check.problem(entry, "phone", f"{phone} is listed twice for {name}")
        seen.add((phone, name))
        doctor = check.text(entry, item, "doctor")
        if doctor and doctor not in doctors:
            check.problem(entry, "doctor", f"{doctor!r} is not a known doctor")
        diet = check.text(entry, item, "diet")
        if diet and menu and diet not in menu:
            check.problem(entry, "diet", f"{diet!r} is not a meal menu code ({', '.join(sorted(menu))})")
        clean.append({
            "name": name, "phone": phone, "doctor": doctor, "diet": diet,
            "language": check.language(entry, item, check.languages[0]),
            "timezone": check.timezone(entry, item, default_timezone),
            "address": check.text(entry, item, "address"),
            "checkin": _check_checkin(check, entry, item.get("checkin")),
            "medications": _check_medications(check, entry, item.get("medications")),
            "contacts": _check_contacts(check, entry, item.get("contacts")),
        })
    return clean


def _check_checkin(check: _Checker, entry: str, raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    if (item := check.mapping(f"{entry}.checkin", raw)) is None:
        return None
    return {"time": check.hhmm(entry, "checkin.time", item.get("time")),
            "channel": check.choice(entry, item, "channel", CHANNELS, "call")}


def _check_medications(check: _Checker, entry: str, raw: Any) -> list[dict[str, Any]]:
    clean, seen = [], set()
    for j, item in enumerate(check.entries(f"{entry}.medications", raw)):
        where = f"{entry}.medications[{j}]"
        if (item := check.mapping(where, item)) is None:
            continue
        name = check.text(where, item, "name", required=True)
        if name.lower() in seen:
            check.problem(where, "name", f"{name!r} is listed twice")
        seen.add(name.lower())
        times = item.get("times") or []
        if not isinstance(times, list):
            check.problem(where, "times", "must be a list of HH:MM times")
            times = []
        clean.append({"name": name, "dose": check.text(where, item, "dose"),
                      "times": [check.hhmm(where, "times", t) for t in times],
                      "channel": check.choice(where, item, "channel", CHANNELS, "call")})
    return clean


def _check_contacts(check: _Checker, entry: str, raw: Any) -> list[dict[str, Any]]:
    clean = []
    for j, item in enumerate(check.entries(f"{entry}.contacts", raw)):
        where = _label(f"{entry}.contacts", j, item)
        if (item := check.mapping(where, item)) is None:
            continue
        clean.append({"name": check.text(where, item, "name", required=True),
                      "phone": check.phone(where, item), "relation": check.text(where, item, "relation"),
                      "language": check.language(where, item), "position": j})
    return clean


def _upsert(session: Session, summary: ImportSummary, kind: str, existing: Any, model: type,
            values: dict[str, Any]) -> Any:
    if existing is None:
        existing = model(**values)
        session.add(existing)
        summary.created[kind] += 1
        return existing
    changed = False
    for key, value in values.items():
        if getattr(existing, key) != value:
            setattr(existing, key, value)
            changed = True
    if changed:
        summary.updated[kind] += 1
    return existing


def _write_doctors(session: Session, doctors: list[dict[str, Any]], summary: ImportSummary) -> None:
    for values in doctors:
        existing = session.scalar(select(Doctor).where(Doctor.name == values["name"]))
        _upsert(session, summary, "doctors", existing, Doctor, values)
    session.flush()


def _write_volunteers(session: Session, volunteers: list[dict[str, Any]], summary: ImportSummary) -> None:
    for position, values in enumerate(volunteers):
        password = values.pop("password")
        existing = session.scalar(select(Volunteer).where(Volunteer.phone == values["phone"]))
        values["on_call_order"] = position
        volunteer = _upsert(session, summary, "volunteers", existing, Volunteer, values)
        if password and not verify_password(volunteer.password_hash, password):
            volunteer.password_hash = hash_password(password)
            volunteer.must_change_password = is_demo_password(password)
    session.flush()


def _write_meals(session: Session, provider: dict[str, Any] | None, menu: list[dict[str, Any]],
                 summary: ImportSummary) -> None:
    if provider:
        existing = session.scalar(select(MealProvider).where(MealProvider.name == provider["name"]))
        _upsert(session, summary, "meal providers", existing, MealProvider, provider)
    for values in menu:
        existing = session.scalar(select(MealMenuItem).where(MealMenuItem.code == values["code"]))
        _upsert(session, summary, "menu items", existing, MealMenuItem, values)
    session.flush()


def _write_elders(session: Session, elders: list[dict[str, Any]], summary: ImportSummary) -> None:
    for values in elders:
        checkin = values.pop("checkin")
        medications = values.pop("medications")
        contacts = values.pop("contacts")
        doctor_name = values.pop("doctor")
        values["doctor_id"] = (session.scalar(select(Doctor.id).where(Doctor.name == doctor_name))
                               if doctor_name else None)
        if checkin:
            values["checkin_time"], values["checkin_channel"] = checkin["time"], checkin["channel"]
        existing = session.scalar(select(Elder).where(Elder.phone == values["phone"],
                                                      Elder.name == values["name"]))
        elder = _upsert(session, summary, "elders", existing, Elder, values)
        session.flush()
        for med in medications:
            current = next((m for m in elder.medications if m.name.lower() == med["name"].lower()), None)
            _upsert(session, summary, "medications", current, Medication, {**med, "elder_id": elder.id})
        for contact in contacts:
            current = next((c for c in elder.contacts if c.phone == contact["phone"]), None)
            _upsert(session, summary, "contacts", current, Contact, {**contact, "elder_id": elder.id})
        session.flush()
