"""Twilio webhooks: the signature check every blueprint that Twilio calls shares.

Whenever an auth token is configured, a request must carry a valid `X-Twilio-Signature`,
computed over `public_url` + path (+ query string) and the POST parameters; otherwise it is
answered 403 before the view runs, so it changes nothing.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TypeVar

from flask import abort, request

from assistant.phones import try_normalize
from assistant.telephony.signatures import is_valid
from assistant.web import runtime

log = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., object])


def signed_url() -> str:
    """The URL Twilio signed: the public one, whatever host the request reached us on."""
    query = request.query_string.decode()
    return f"{runtime().config.public_url}{request.path}" + (f"?{query}" if query else "")


def twilio_webhook(view: View) -> View:
    @functools.wraps(view)
    def checked(*args: object, **kwargs: object) -> object:
        token = runtime().config.twilio.auth_token
        if token and not is_valid(token, signed_url(), request.form.to_dict(),
                                  request.headers.get("X-Twilio-Signature", "")):
            log.warning("rejected %s: bad or missing Twilio signature", request.path)
            abort(403)
        return view(*args, **kwargs)
    return checked  # type: ignore[return-value]


def required(name: str, max_length: int = 64) -> str:
    """A POST parameter Twilio always sends; 400 when it is missing or malformed."""
    value = request.form.get(name, "").strip()
    if not value:
        abort(400, description=f"missing {name}")
    if len(value) > max_length or not value.isprintable():
        abort(400, description=f"malformed {name}")
    return value


def caller_number(name: str = "From") -> str:
    """The phone number in POST parameter `name` as E.164, or "" when there is none
    (a withheld number arrives as "anonymous" or "+266696687")."""
    return try_normalize(request.form.get(name, ""), runtime().config.organization.default_region) or ""
