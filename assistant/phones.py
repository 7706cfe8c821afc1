"""Phone numbers: normalised to E.164 with libphonenumber, masked whenever they are logged."""
from __future__ import annotations

import phonenumbers


class PhoneError(ValueError):
    """Not a valid phone number; the message says why in a few words."""


def normalize(raw: str, default_region: str) -> str:
    """Return `raw` as E.164 ("+15550123001"), reading national numbers in `default_region`."""
    text = str(raw or "").strip()
    if not text:
        raise PhoneError("is empty")
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        raise PhoneError(f"{text!r} is not a phone number") from None
    if not phonenumbers.is_possible_number(number):
        raise PhoneError(f"{text!r} has the wrong number of digits")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalize(raw: str, default_region: str) -> str | None:
    try:
        return normalize(raw, default_region)
    except PhoneError:
        return None


def mask(phone: str) -> str:
    """"+15550123001" -> "+1555*****01": enough to tell numbers apart in a log, no more."""
    if not phone:
        return "-"
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:4] + "*" * (len(phone) - 6) + phone[-2:]
