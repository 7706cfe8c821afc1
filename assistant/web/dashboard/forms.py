"""Every dashboard form. Labels and error messages are catalog keys, shown through `t()`.

POST forms are FlaskForms (CSRF token included); filter forms are GET and carry none.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from flask import request
from flask_wtf import FlaskForm
from wtforms import (BooleanField, SelectChoice, DateField, DateTimeLocalField, Field, IntegerField,
                     PasswordField, SelectField, StringField, TextAreaField)
from wtforms.validators import (DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional,
                                Regexp, ValidationError)

from assistant.config import check_timezone, parse_hhmm
from assistant.phones import PhoneError, normalize
from assistant.services.directory_import import ROLES
from assistant.web import runtime



def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Choices for a select: (value, label), the label a catalog key or a name from the database."""
    return [SelectChoice(value, label) for value, label in pairs]


CHANNELS = options([("call", "channel.call"), ("sms", "channel.sms")])


def languages(blank: str = "") -> Callable[[], list[SelectChoice]]:
    """The hotline's languages, each by its own name ("English", "中文"); first a choice
    labelled `blank` (a catalog key) storing "" when one is given."""
    def choices() -> list[SelectChoice]:
        spoken = runtime().languages
        return options([*([("", blank)] if blank else []), *((code, spoken.name(code)) for code in spoken.codes)])
    return choices

REQUIRED = DataRequired(message="error.required")
POSITION = InputRequired(message="error.required")


class GetForm(FlaskForm):
    """A filter form read from the query string, so a search can be bookmarked; no CSRF token."""

    class Meta:
        csrf = False

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formdata", request.args)
        super().__init__(**kwargs)


def valid_phone(form: FlaskForm, field: Field) -> None:
    if not field.data:
        return
    try:
        field.data = normalize(field.data, runtime().config.organization.default_region)
    except PhoneError:
        raise ValidationError("error.phone") from None


def valid_timezone(form: FlaskForm, field: Field) -> None:
    try:
        check_timezone(field.data or "")
    except ValueError:
        raise ValidationError("error.timezone") from None


class ListField(StringField):
    """A comma-separated list in the form ("08:00, 20:00"), a list of strings in the model."""

    def _value(self) -> str:
        return ", ".join(self.data or [])

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = valuelist[0] if valuelist else ""
        self.data = [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
MAX_PAGE = 10000


def plausible_date(form: FlaskForm, field: Field) -> None:
    """Dates a search or export can mean (9999-12-31 plus a day overflowed into a 500)."""
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError("error.date_range")


def page_arg() -> int:
    """The `page` query argument, from 1 to MAX_PAGE whatever number was typed."""
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)


class NamesField(TextAreaField):
    """Names in other languages, one per line ("zh: 普通餐"); a {lang: name} mapping in the model."""

    def _value(self) -> str:
        return "\n".join(f"{lang}: {name}" for lang, name in (self.data or {}).items())

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = {}
        for line in (valuelist[0] if valuelist else "").splitlines():
            lang, _, name = line.replace("：", ":").partition(":")
            if lang.strip() or name.strip():
                self.data[lang.strip()] = name.strip()


def valid_names(form: FlaskForm, field: Field) -> None:
    codes = runtime().languages.codes
    if any(lang not in codes or not name for lang, name in (field.data or {}).items()):
        raise ValidationError("error.names")


def _hhmm(value: str) -> None:
    try:
        parse_hhmm(value)
    except ValueError:
        raise ValidationError("error.hhmm") from None


def valid_times(form: FlaskForm, field: Field) -> None:
    for value in field.data or []:
        _hhmm(value)


def valid_time(form: FlaskForm, field: Field) -> None:
    if field.data:
        _hhmm(field.data)


class SignInForm(FlaskForm):
    email = StringField("field.email", validators=[REQUIRED, Length(max=254)])
    password = PasswordField("field.password", validators=[REQUIRED, Length(max=200)])


class ChangePasswordForm(FlaskForm):
    new_password = PasswordField("field.new_password", validators=[
        REQUIRED, Length(min=8, max=200, message="error.password_length")])
    confirm_password = PasswordField("field.confirm_password", validators=[
        REQUIRED, EqualTo("new_password", message="error.password_mismatch")])


class NoteForm(FlaskForm):
    note = TextAreaField("field.note", validators=[REQUIRED, Length(max=1000)])


class ResolveForm(FlaskForm):
    note = StringField("field.resolve_note", validators=[Optional(), Length(max=1000)])


class AssignForm(FlaskForm):
    volunteer_id = SelectField("field.assign_to", coerce=int, validate_choice=False)


class CorrectionForm(FlaskForm):
    text = TextAreaField("field.what_was_said", validators=[REQUIRED, Length(max=2000)])
    intent = SelectField("field.intent", validate_choice=True)


class LogFilterForm(GetForm):
    date_from = DateField("field.date_from", validators=[Optional(), plausible_date])
    date_to = DateField("field.date_to", validators=[Optional(), plausible_date])
    who = StringField("field.who", validators=[Optional(), Length(max=120)])
    channel = SelectField("field.channel", choices=options([("", "filter.any")]) + CHANNELS,
                          validators=[Optional()])
    intent = SelectField("field.intent", validators=[Optional()])
    outcome = StringField("field.outcome", validators=[Optional(), Length(max=40)])
    attention = BooleanField("field.attention")
    text = StringField("field.text", validators=[Optional(), Length(max=200)])
    page = IntegerField("field.page", validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)])


class ExportForm(GetForm):
    kind = SelectField("field.export_kind", choices=options(
        (kind, f"export.{kind}") for kind in ("calls", "messages", "orders")))
    date_from = DateField("field.date_from", validators=[REQUIRED, plausible_date])
    date_to = DateField("field.date_to", validators=[REQUIRED, plausible_date])


class AuditFilterForm(GetForm):
    actor = StringField("field.actor", validators=[Optional(), Length(max=160)])
    action = StringField("field.action", validators=[Optional(), Length(max=60)])
    entity = StringField("field.entity", validators=[Optional(), Length(max=40)])
    page = IntegerField("field.page", validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)])


class VolunteerForm(FlaskForm):
    name = StringField("field.name", validators=[REQUIRED, Length(max=120)])
    phone = StringField("field.phone", validators=[REQUIRED, valid_phone])
    email = StringField("field.email", validators=[Optional(), Length(max=254),
                                                   Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                                          message="error.email")])
    role = SelectField("field.role", choices=options((role, f"role.{role}") for role in ROLES))
    language = SelectField("field.language", choices=languages())
    on_call = BooleanField("field.on_call")
    active = BooleanField("field.active", default=True)
    new_password = PasswordField("field.new_password", validators=[
        Optional(), Length(min=8, max=200, message="error.password_length")])


class DoctorForm(FlaskForm):
    name = StringField("field.name", validators=[REQUIRED, Length(max=120)])
    clinic = StringField("field.clinic", validators=[Optional(), Length(max=200)])
    phone = StringField("field.phone", validators=[Optional(), valid_phone])
    aliases = ListField("field.aliases")
    language = SelectField("field.language_written", choices=languages("choice.language_organization"), default="")


class ProviderForm(FlaskForm):
    name = StringField("field.name", validators=[REQUIRED, Length(max=120)])
    phone = StringField("field.phone", validators=[REQUIRED, valid_phone])
    language = SelectField("field.language_written", choices=languages("choice.language_organization"), default="")


class MenuItemForm(FlaskForm):
    code = StringField("field.code", validators=[REQUIRED, Length(max=40)])
    name = StringField("field.name", validators=[REQUIRED, Length(max=120)])
    names = NamesField("field.names", validators=[valid_names])
    position = IntegerField("field.position", default=0, validators=[POSITION])
    active = BooleanField("field.active", default=True)


class ElderForm(FlaskForm):
    name = StringField("field.name", validators=[REQUIRED, Length(max=120)])
    phone = StringField("field.phone", validators=[REQUIRED, valid_phone])
    language = SelectField("field.language", choices=languages())
    timezone = StringField("field.timezone", validators=[REQUIRED, valid_timezone])
    address = StringField("field.address", validators=[Optional(), Length(max=300)])
    doctor_id = SelectField("field.doctor", coerce=int, validate_choice=True)
    diet = SelectField("field.diet", validate_choice=True)
    checkin_time = StringField("field.checkin_time", validators=[Optional(), valid_time])
    checkin_channel = SelectField("field.checkin_channel", choices=CHANNELS)
    away_until = DateTimeLocalField("field.away_until", validators=[Optional()])
    active = BooleanField("field.active", default=True)
    notes = TextAreaField("field.notes", validators=[Optional(), Length(max=2000)])


class ContactForm(FlaskForm):
    name = StringField("field.name", validators=[REQUIRED, Length(max=120)])
    phone = StringField("field.phone", validators=[REQUIRED, valid_phone])
    relation = StringField("field.relation", validators=[Optional(), Length(max=40)])
    language = SelectField("field.language_written", choices=languages("choice.language_elder"), default="")
    position = IntegerField("field.position", default=0, validators=[POSITION])


class MedicationForm(FlaskForm):
    name = StringField("field.name", validators=[REQUIRED, Length(max=120)])
    dose = StringField("field.dose", validators=[Optional(), Length(max=60)])
    times = ListField("field.times", validators=[valid_times])
    channel = SelectField("field.channel", choices=CHANNELS)
    active = BooleanField("field.active", default=True)


def model_values(form: FlaskForm, *skip: str) -> dict[str, Any]:
    """The form's data as model attributes (without the token and `skip`ped fields)."""
    return {name: field.data for name, field in form._fields.items()
            if name != "csrf_token" and name not in skip}
