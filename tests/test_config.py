"""Configuration: defaults, environment overrides, and one clear line for a bad value."""
from pathlib import Path

import pytest

from assistant.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_repo_config_is_valid_and_console_mode_without_credentials() -> None:
    config = load_config(Path(__file__).resolve().parent.parent / "config.yaml", environ={})
    assert config.telephony_mode == "console"
    assert config.twilio.api_base_url == "https://api.twilio.com"
    assert config.outbound.retry.attempts == 3
    assert config.database.url.startswith("sqlite:////")


def test_relative_paths_are_taken_from_the_config_files_folder(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "data_dir: var\ndatabase: {url: 'sqlite:///var/a.db'}\n"), environ={})
    assert config.data_dir == tmp_path / "var"
    assert config.database.url == f"sqlite:///{tmp_path}/var/a.db"


def test_environment_overrides_win_over_the_file(tmp_path: Path) -> None:
    environ = {"ASSISTANT_DATABASE_URL": "postgresql+psycopg://u@h/db", "TWILIO_ACCOUNT_SID": "AC1",
               "TWILIO_AUTH_TOKEN": "tok", "TWILIO_FROM_NUMBER": "+15550000000",
               "ASSISTANT_PUBLIC_URL": "https://hotline.example.org/"}
    config = load_config(write(tmp_path, "public_url: http://127.0.0.1:5000\n"), environ=environ)
    assert config.database.url == "postgresql+psycopg://u@h/db"
    assert config.telephony_mode == "twilio"
    assert config.public_url == "https://hotline.example.org"


def test_assistant_config_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "organization: {name: Elsewhere}\n")
    assert load_config(environ={"ASSISTANT_CONFIG": str(path)}).organization.name == "Elsewhere"


@pytest.mark.parametrize(("text", "message"), [
    ("outbound: {calling_hours: ['8am', '21:00']}\n", "outbound.calling_hours: '8am' is not a time of day"),
    ("outbound: {retry: {attempts: 0}}\n", "outbound.retry.attempts: "),
    ("organization: {default_timezone: Mars/Base}\n", "organization.default_timezone: 'Mars/Base' is not a known time zone"),
    ("twilio: {api_base_url: 'ftp://x'}\n", "twilio.api_base_url: 'ftp://x' is not an http(s) URL"),
    ("speech: {engine: siri}\n", "speech.engine: "),
    ("voice: {listen: websocket}\n", "voice.listen: "),
    ("voice: {stream: {silence_seconds: 0.1}}\n", "voice.stream.silence_seconds: "),
    ("voice: {stream: {complete_silence_seconds: 3, silence_seconds: 2}}\n",
     "voice.stream: complete_silence_seconds must not exceed silence_seconds"),
    ("voice: {audio_retention_days: 0}\n", "voice.audio_retention_days: "),
    ("databse: {url: x}\n", "databse: is not a known setting"),
    ("database: {url: 'mysql://x'}\n", "database.url: 'mysql://x' is not a sqlite"),
    ("- a list\n", "the top level must be a mapping"),
    ("public_url: [unclosed\n", "not valid YAML"),
    ("organization: {default_language: fr}\n", "organization.default_language: 'fr' is not a language of"),
    ("organization: {names: {fr: Ligne}}\n", "organization.names: 'fr' is not a language of"),
    ("voice: {languages: {fr: {voice: Polly.Lea, language: fr-FR}}}\n", "voice.languages: 'fr' is not a language"),
    ("languages_dir: nowhere\n", "languages_dir: "),
])
def test_a_bad_value_is_one_line_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text), environ={})
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_missing_named_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml", environ={})


def test_credentials_without_a_from_number_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="from_number"):
        load_config(write(tmp_path, "twilio: {account_sid: AC1, auth_token: t}\n"), environ={})


def test_vosk_model_folders_are_taken_from_the_config_files_folder(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "speech: {vosk_models: {en: models/en, zh: /opt/vosk/zh}}\n"), environ={})
    assert config.speech.vosk_models == {"en": str(tmp_path / "models/en"), "zh": "/opt/vosk/zh"}


def test_the_stream_url_follows_public_url_https_to_wss_and_http_to_ws(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "public_url: https://hotline.example.org/\n"), environ={})
    assert config.stream_url == "wss://hotline.example.org/voice/stream"
    config = load_config(write(tmp_path, "public_url: http://127.0.0.1:5000\n"), environ={})
    assert config.stream_url == "ws://127.0.0.1:5000/voice/stream"
    assert config.voice.listen == "stream" and config.voice.stream.complete_silence_seconds == 0.7
