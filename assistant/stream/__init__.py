"""The stream server: a live call's audio over a Twilio Media Stream, heard as she speaks.

    server.py     the websocket (ASGI): signed handshake, Twilio's messages, one listener a call
    listener.py   one call: frames -> VAD -> turn-taking -> recognition -> the call logic -> update
    turns.py      turn-taking for elders, a pure state machine over 20 ms frames
    hearing.py    recognition of one utterance while it is spoken (Vosk streams, Whisper at pauses)
    logic.py      the CallLogic protocol the call logic implements, and the matcher-based default
    messages.py   Twilio Media Streams messages, parsed and built
    audio_files.py  each utterance as a WAV under the data directory (mode 0600)

See docs/voice-stream.md.
"""
