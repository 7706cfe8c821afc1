"""The real backend: Twilio's REST API (or any Twilio-compatible carrier at `api_base_url`)."""
from __future__ import annotations

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

from assistant.config import TwilioConfig
from assistant.telephony import media
from assistant.telephony.port import TIMEOUTS, TelephonyError


def _never_arrived(exc: Exception) -> bool:
    """True when the carrier certainly did nothing: it answered with an error, or no connection
    was ever made. A read timeout or a connection dropped mid-request may have been acted on."""
    if isinstance(exc, (TwilioRestException, requests.ConnectTimeout)):
        return True
    reason = getattr(exc.args[0], "reason", None) if isinstance(exc, requests.ConnectionError) and exc.args else None
    return isinstance(reason, NewConnectionError)


def _failure(action: str, exc: Exception) -> TelephonyError:
    return TelephonyError(f"{action} failed: {type(exc).__name__}", maybe_done=not _never_arrived(exc))


class _TimedHttpClient(TwilioHttpClient):
    """The SDK's client with separate connect and read timeouts (its constructor takes one)."""

    def __init__(self) -> None:
        super().__init__(timeout=TIMEOUTS[1])
        self.timeout = TIMEOUTS  # type: ignore[assignment]


UPDATE_TIMEOUTS = (3.05, 5.0)
"""(connect, read) for a call update: it is on the caller's turn, so it fails fast rather than late."""


class TwilioTelephony:
    mode = "twilio"

    def __init__(self, config: TwilioConfig) -> None:
        self.config = config
        self.client = Client(config.account_sid, config.auth_token,
                             http_client=_TimedHttpClient())
        self.client.api.base_url = config.api_base_url
        self._http = requests.Session()
        """Kept-alive connections: a call update must not wait on a new TLS handshake."""
        self._http.auth = (config.account_sid, config.auth_token)

    def place_call(self, to: str, url: str, *, status_callback: str, machine_detection: bool = False,
                   timeout_seconds: int = 30) -> str:
        options = {"machine_detection": "Enable"} if machine_detection else {}
        try:
            call = self.client.calls.create(
                to=to, from_=self.config.from_number, url=url, timeout=timeout_seconds,
                status_callback=status_callback,
                status_callback_event=["initiated", "ringing", "answered", "completed"],
                **options)
        except (TwilioException, requests.RequestException) as exc:
            raise _failure("placing a call", exc) from exc
        return str(call.sid)

    def send_sms(self, to: str, body: str, *, status_callback: str | None = None) -> str:
        options = {"status_callback": status_callback} if status_callback else {}
        try:
            message = self.client.messages.create(to=to, from_=self.config.from_number, body=body,
                                                  **options)
        except (TwilioException, requests.RequestException) as exc:
            raise _failure("sending an SMS", exc) from exc
        return str(message.sid)

    def fetch_recording(self, url: str) -> bytes:
        wav_url = url if url.endswith(".wav") else f"{url}.wav"
        return media.fetch(wav_url, self.config, auth=(self.config.account_sid, self.config.auth_token))

    def delete_recording(self, url: str) -> None:
        media.check_url(url, self.config)
        resource = url.removesuffix(".wav").removesuffix(".mp3").removesuffix(".json") + ".json"
        try:
            response = self._http.delete(resource, timeout=TIMEOUTS)
            if response.status_code != 404:
                response.raise_for_status()
        except requests.RequestException as exc:
            raise _failure("deleting a recording", exc) from exc

    def update_call(self, call_sid: str, twiml: str) -> None:
        """`POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json` with `Twiml`."""
        url = f"{self.config.api_base_url}/2010-04-01/Accounts/{self.config.account_sid}/Calls/{call_sid}.json"
        try:
            response = self._http.post(url, data={"Twiml": twiml}, timeout=UPDATE_TIMEOUTS)
            response.raise_for_status()
        except requests.RequestException as exc:
            raise _failure("updating a call", exc) from exc
