"""The application layer: one inbound event (a call's step, a text, a carrier's status report)
handled whole, with no HTTP in sight. Web views and the media-stream server only turn what
they receive into an event and call one function here."""
