"""Turn-taking rules for elders, frame by frame (20 ms each), with the default figures:
0.7 s after a complete request, else 2.0 s; 20 s at most; 0.2 s of speech to start."""
from __future__ import annotations

import pytest

from assistant.config import StreamTiming
from assistant.stream.turns import Ending, Event, Kind, TurnTaker

TIMING = StreamTiming()


def frames(seconds: float) -> int:
    return round(seconds / 0.02)


def push(taker: TurnTaker, voiced: bool, seconds: float) -> list[tuple[float, Event]]:
    """Push `seconds` of frames; the events, each with the stream time it happened at."""
    events = []
    for _ in range(frames(seconds)):
        event = taker.push(voiced)
        if event is not None:
            events.append((round((taker.frame + 1) * 0.02, 2), event))
    return events


def kinds(events: list[tuple[float, Event]]) -> list[Kind]:
    return [event.kind for _, event in events]


def test_speech_starts_an_utterance_and_a_pause_asks_for_a_verdict() -> None:
    taker = TurnTaker(TIMING)
    assert push(taker, False, 1.0) == []
    started = push(taker, True, 1.0)
    assert kinds(started) == [Kind.START]
    assert started[0][0] == pytest.approx(1.2)
    paused = push(taker, False, 0.4)
    assert kinds(paused) == [Kind.PAUSE]
    assert paused[0][0] == pytest.approx(2.0 + 0.3)


def test_a_complete_request_ends_her_turn_after_the_short_silence() -> None:
    taker = TurnTaker(TIMING)
    push(taker, True, 1.5)
    push(taker, False, 0.3)
    assert taker.judge(True) is None          # at 0.3 s of silence: not yet
    ended = push(taker, False, 1.0)
    assert kinds(ended) == [Kind.END]
    assert ended[0][1].ending is Ending.COMPLETE
    assert ended[0][0] - 1.5 == pytest.approx(TIMING.complete_silence_seconds)


def test_a_verdict_arriving_after_the_short_silence_ends_the_turn_at_once() -> None:
    taker = TurnTaker(TIMING)
    push(taker, True, 1.5)
    assert kinds(push(taker, False, 1.0)) == [Kind.PAUSE]   # the recogniser is slow
    event = taker.judge(True)
    assert event is not None and event.ending is Ending.COMPLETE


def test_an_unfinished_request_waits_for_the_long_silence() -> None:
    taker = TurnTaker(TIMING)
    push(taker, True, 1.0)
    push(taker, False, 0.3)
    assert taker.judge(False) is None
    ended = push(taker, False, 3.0)
    assert kinds(ended) == [Kind.END]
    assert ended[0][1].ending is Ending.SILENCE
    assert ended[0][0] - 1.0 == pytest.approx(TIMING.silence_seconds)


def test_a_pause_of_one_and_a_half_seconds_mid_sentence_never_cuts_her_off() -> None:
    taker = TurnTaker(TIMING)
    push(taker, True, 1.0)                    # "I would like..."
    push(taker, False, 0.3)
    taker.judge(False)
    assert kinds(push(taker, False, 1.2)) == []
    assert kinds(push(taker, True, 1.0)) == [Kind.RESUME]   # "...lunch tomorrow"
    assert taker.speaking


def test_a_verdict_on_words_she_has_since_added_to_is_ignored() -> None:
    taker = TurnTaker(TIMING)
    push(taker, True, 1.0)
    push(taker, False, 0.4)
    push(taker, True, 0.5)                    # she spoke again before the verdict came
    assert taker.judge(True) is None
    ended = push(taker, False, 1.0)
    assert kinds(ended) == [Kind.PAUSE]        # a new pause, waiting for its own verdict


def test_an_utterance_ends_at_the_maximum_length_even_without_silence() -> None:
    taker = TurnTaker(TIMING)
    events = push(taker, True, TIMING.max_utterance_seconds + 1)
    assert kinds(events) == [Kind.START, Kind.END, Kind.START]   # she goes on: a new utterance
    assert events[1][1].ending is Ending.MAX_LENGTH
    assert events[1][0] == pytest.approx(TIMING.max_utterance_seconds)


def test_a_cough_or_a_click_is_not_an_utterance() -> None:
    taker = TurnTaker(TIMING)
    assert push(taker, True, 0.1) == []
    assert push(taker, False, 1.0) == []
    assert not taker.speaking


def test_a_lone_voiced_frame_in_a_pause_does_not_restart_the_silence() -> None:
    taker = TurnTaker(TIMING)
    push(taker, True, 1.0)
    push(taker, False, 1.0)
    taker.push(True)                          # a blip of line noise
    assert push(taker, False, 0.98)[0][1].ending is Ending.SILENCE


def test_help_or_a_key_ends_the_utterance_at_once_and_the_next_starts_afresh() -> None:
    taker = TurnTaker(TIMING)
    push(taker, True, 0.5)
    assert taker.end(Ending.HELP).ending is Ending.HELP
    assert not taker.speaking
    assert kinds(push(taker, True, 0.3)) == [Kind.START]


def test_the_figures_come_from_config_and_must_be_in_order() -> None:
    quick = StreamTiming(complete_silence_seconds=0.5, silence_seconds=1.0, pause_decode_seconds=0.2)
    taker = TurnTaker(quick)
    push(taker, True, 1.0)
    assert push(taker, False, 1.5)[-1][0] - 1.0 == pytest.approx(1.0)
    with pytest.raises(ValueError, match="complete_silence_seconds must not exceed silence_seconds"):
        StreamTiming(complete_silence_seconds=3.0, silence_seconds=2.0)
