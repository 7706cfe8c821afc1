"""Twilio's request signature scheme, computed over `public_url` + path."""
from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator


def sign(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """The `X-Twilio-Signature` Twilio would send (used by the simulator and tests)."""
    return RequestValidator(auth_token).compute_signature(url, dict(params))


def is_valid(auth_token: str, url: str, params: Mapping[str, str], signature: str) -> bool:
    return bool(signature) and RequestValidator(auth_token).validate(url, dict(params), signature)
