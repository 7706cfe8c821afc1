"""The voice channel: a phone call as events (`calls`), its TwiML (`twiml`), its log (`turns`)
and Twilio's reports on it (`status`)."""
