"""Telephony: the port every outside effect goes through, and its two backends."""
from __future__ import annotations

from assistant.config import Config
from assistant.telephony.port import RecordingNotAllowed, Telephony, TelephonyError


def make_telephony(config: Config) -> Telephony:
    """Twilio when credentials are configured, else the console, which only prints."""
    if config.twilio.configured:
        from assistant.telephony.twilio_backend import TwilioTelephony
        return TwilioTelephony(config.twilio)
    from assistant.telephony.console_backend import ConsoleTelephony
    return ConsoleTelephony(config)


__all__ = ["Telephony", "TelephonyError", "RecordingNotAllowed", "make_telephony"]
