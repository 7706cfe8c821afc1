"""The real backend: Twilio's REST API (or any Twilio-compatible carrier at `api_base_url`)."""
from __future__ import annotations

import requests
from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioException
from twilio.rest import Client

from assistant.config import TwilioConfig
from assistant.telephony.port import TelephonyError, check_media_host

FETCH_TIMEOUT_SECONDS = 10
UPDATE_TIMEOUT_SECONDS = (3.05, 5)
"""(connect, read): a call update is on the caller's turn, so it fails fast rather than late."""


class TwilioTelephony:
    mode = "twilio"

    def __init__(self, config: TwilioConfig) -> None:
        self.config = config
        self.client = Client(config.account_sid, config.auth_token)
        self.client.api.base_url = config.api_base_url
        self._http = requests.Session()
        """Kept-alive connections: a call update must not wait on a new TLS handshake."""
        self._http.auth = (config.account_sid, config.auth_token)

    def place_call(self, to: str, url: str, *, status_callback: str, machine_detection: bool = False,
                   timeout_seconds: int = 30, session: Session | None = None) -> str:
        options = {"machine_detection": "Enable"} if machine_detection else {}
        try:
            call = self.client.calls.create(
                to=to, from_=self.config.from_number, url=url, timeout=timeout_seconds,
                status_callback=status_callback,
                status_callback_event=["initiated", "ringing", "answered", "completed"],
                **options)
        except (TwilioException, requests.RequestException) as exc:
            raise TelephonyError(f"placing a call failed: {type(exc).__name__}") from exc
        return str(call.sid)

    def send_sms(self, to: str, body: str, *, status_callback: str | None = None,
                 session: Session | None = None) -> str:
        options = {"status_callback": status_callback} if status_callback else {}
        try:
            message = self.client.messages.create(to=to, from_=self.config.from_number, body=body,
                                                  **options)
        except (TwilioException, requests.RequestException) as exc:
            raise TelephonyError(f"sending an SMS failed: {type(exc).__name__}") from exc
        return str(message.sid)

    def fetch_recording(self, url: str) -> bytes:
        check_media_host(url, self.config.media_hosts)
        wav_url = url if url.endswith(".wav") else f"{url}.wav"
        try:
            response = requests.get(wav_url, auth=(self.config.account_sid, self.config.auth_token),
                                    timeout=FETCH_TIMEOUT_SECONDS)
            response.raise_for_status()
        except requests.RequestException as exc:
            raise TelephonyError(f"fetching a recording failed: {type(exc).__name__}") from exc
        return response.content

    def delete_recording(self, url: str) -> None:
        check_media_host(url, self.config.media_hosts)
        resource = url.removesuffix(".wav").removesuffix(".mp3").removesuffix(".json") + ".json"
        try:
            response = self._http.delete(resource, timeout=FETCH_TIMEOUT_SECONDS)
            if response.status_code != 404:
                response.raise_for_status()
        except requests.RequestException as exc:
            raise TelephonyError(f"deleting a recording failed: {type(exc).__name__}") from exc

    def update_call(self, call_sid: str, twiml: str) -> None:
        """`POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json` with `Twiml`."""
        url = f"{self.config.api_base_url}/2010-04-01/Accounts/{self.config.account_sid}/Calls/{call_sid}.json"
        try:
            response = self._http.post(url, data={"Twiml": twiml}, timeout=UPDATE_TIMEOUT_SECONDS)
            response.raise_for_status()
        except requests.RequestException as exc:
            raise TelephonyError(f"updating a call failed: {type(exc).__name__}") from exc
