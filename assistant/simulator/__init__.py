"""Trying the hotline without a phone line: drive the real webhooks as Twilio would."""
