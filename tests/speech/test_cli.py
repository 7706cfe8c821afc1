"""`assistant transcribe` and `assistant models` from the command line."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from assistant.cli import cli
from tests.speech.conftest import korean_model_dir
from tests.speech.evaluation import Clip


def write_config(tmp_path: Path, **speech: object) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "speech": speech}),
                    encoding="utf-8")
    return path


def test_transcribe_writes_one_json_line_per_file_and_one_error_line_per_bad_file(
        tmp_path: Path, clips: list[Clip]) -> None:
    good = tmp_path / "yes.wav"
    shutil.copyfile(clips[29].path, good)  # "yeah that's right"
    truncated = tmp_path / "cut.wav"
    truncated.write_bytes(clips[0].path.read_bytes()[:5000])
    result = CliRunner().invoke(cli, ["--config", str(write_config(tmp_path)), "transcribe",
                                      str(good), str(truncated), str(good)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(good), str(good)]
    assert set(lines[0]) == {"file", "text", "engine", "audio_seconds", "elapsed_seconds"}
    assert lines[0]["engine"] == "whisper" and lines[0]["text"]
    assert lines[0]["audio_seconds"] == 1.464
    assert result.stderr.strip().splitlines() == [
        f"error: {truncated}: truncated WAV file: the data chunk declares 90890 bytes but only 4956 are present"]


def test_transcribe_without_an_engine_for_the_language_says_so(tmp_path: Path, clips: list[Clip]) -> None:
    result = CliRunner().invoke(cli, ["--config", str(write_config(tmp_path)), "transcribe",
                                      "--lang", "zh", str(clips[0].path)])
    assert result.exit_code == 2
    assert "no speech engine for zh" in result.stderr and "docs/speech.md" in result.stderr


def test_transcribe_with_vosk_uses_the_configured_model(tmp_path: Path, clips: list[Clip]) -> None:
    config = write_config(tmp_path, vosk_models={"en": str(korean_model_dir())})
    result = CliRunner().invoke(cli, ["--config", str(config), "transcribe", "--engine", "vosk",
                                      str(clips[29].path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["engine"] == "vosk"


def test_models_lists_each_language_and_how_to_add_a_vosk_model(tmp_path: Path) -> None:
    config = write_config(tmp_path, vosk_models={"en": "", "zh": str(tmp_path / "missing")})
    result = CliRunner().invoke(cli, ["--config", str(config), "models"])
    assert result.exit_code == 0, result.output
    assert "en: whisper" in result.stdout and "zh: keypad" in result.stdout
    assert f"missing: {tmp_path / 'missing'} is not an unpacked Vosk model" in result.stdout
    assert "vosk-model-small-en-us-0.15" in result.stdout
    assert "vosk-model-small-cn-0.22" in result.stdout
