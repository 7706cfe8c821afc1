"""Fetching a caller's recording: only from the carrier's media hosts, never more than a cap.

The URL comes from a webhook, so it is checked with urllib3's parser, the one `requests`
connects by (a check by another parser was fooled by `http://127.0.0.1:5602\\@api.twilio.com/`).
Only https on the default port to a host in `twilio.media_hosts` is accepted, with no userinfo
and no backslash; the configured carrier's own origin (`twilio.api_base_url`, where the
credentials go anyway) is accepted too. Redirects are followed by hand, each hop checked.
The body is streamed with a size cap and a deadline for the whole download.
"""
from __future__ import annotations

import time

import requests
from urllib3.exceptions import LocationParseError
from urllib3.util import Url, parse_url

from assistant.config import TwilioConfig
from assistant.telephony.port import CONNECT_TIMEOUT_SECONDS, RecordingNotAllowed, TelephonyError

MAX_BYTES = 16 * 1024 * 1024
"""Far above a 10-minute voice message at 8 kHz (about 10 MB)."""
DEADLINE_SECONDS = 10.0
"""The whole download, however slowly the sender trickles it."""
MAX_REDIRECTS = 3
CHUNK = 64 * 1024


def _origin(url: Url) -> tuple[str, str, int]:
    scheme = (url.scheme or "").lower()
    return scheme, (url.host or "").lower(), url.port or {"https": 443, "http": 80}.get(scheme, 0)


def check_url(url: str, config: TwilioConfig) -> str:
    """`url` if it may be fetched with the account's credentials; raise RecordingNotAllowed."""
    try:
        parsed = parse_url(url)
    except LocationParseError:
        raise RecordingNotAllowed("recording URL is malformed") from None
    host = (parsed.host or "").lower()
    if "\\" in url or parsed.auth or any(ord(ch) < 33 for ch in url):
        raise RecordingNotAllowed(f"recording URL for {host or '?'!r} has userinfo, a backslash or spaces")
    if _origin(parsed) == _origin(parse_url(config.api_base_url)):
        return url
    if parsed.scheme != "https":
        raise RecordingNotAllowed(f"recording URL for {host or '?'!r} is not https")
    if parsed.port not in (None, 443):
        raise RecordingNotAllowed(f"recording URL for {host!r} names port {parsed.port}")
    if host not in {h.lower() for h in config.media_hosts}:
        raise RecordingNotAllowed(f"recording host {host or '?'!r} is not in twilio.media_hosts")
    return url


def fetch(url: str, config: TwilioConfig, *, auth: tuple[str, str] | None = None) -> bytes:
    """The body at `url`, checked, streamed, capped at MAX_BYTES and DEADLINE_SECONDS."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    with requests.Session() as session:
        session.trust_env = False
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, config)
            try:
                response = session.get(url, auth=auth, stream=True, allow_redirects=False,
                                       timeout=(CONNECT_TIMEOUT_SECONDS, max(0.1, deadline - time.monotonic())))
                with response:
                    if response.is_redirect:
                        url = requests.compat.urljoin(url, response.headers.get("Location", ""))
                        auth = None
                        continue
                    response.raise_for_status()
                    return _read(response, deadline)
            except requests.RequestException as exc:
                raise TelephonyError(f"fetching a recording failed: {type(exc).__name__}") from exc
    raise TelephonyError("fetching a recording failed: too many redirects")


def _read(response: requests.Response, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise TelephonyError(f"recording is larger than {MAX_BYTES} bytes")
    body = bytearray()
    while chunk := response.raw.read1(CHUNK, decode_content=True):  # what has arrived, not a full chunk
        body += chunk
        if len(body) > MAX_BYTES:
            raise TelephonyError(f"recording is larger than {MAX_BYTES} bytes")
        if time.monotonic() > deadline:
            raise TelephonyError(f"recording took longer than {DEADLINE_SECONDS:.0f} s to download")
    return bytes(body)
