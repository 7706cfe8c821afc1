"""The SMS channel: a text to the hotline handled whole (`inbox`): who sent it and what it
asks (`answer`), keywords and opt-outs, staff commands, an elder's thread with the dialog;
the reply's wording within SMS segments (`text`); and Twilio's delivery reports (`status`)."""
