"""Configuration: `config.yaml` (or `$ASSISTANT_CONFIG`), environment overrides, validation.

Loaded once into one `Config` object. A bad value raises `ConfigError` whose message is
one line naming the key and the problem, which the CLI prints before exiting.
"""
from __future__ import annotations

import os
import re
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.prompts import available

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_FILE = REPO_ROOT / "config.yaml"
STREAM_PATH = "/voice/stream"
"""Where `assistant serve` accepts Twilio Media Streams (a websocket)."""

ENV_OVERRIDES: dict[str, tuple[str, ...]] = {
    "ASSISTANT_DATABASE_URL": ("database", "url"),
    "TWILIO_ACCOUNT_SID": ("twilio", "account_sid"),
    "TWILIO_AUTH_TOKEN": ("twilio", "auth_token"),
    "TWILIO_FROM_NUMBER": ("twilio", "from_number"),
    "ASSISTANT_PUBLIC_URL": ("public_url",),
}

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ConfigError(Exception):
    """A configuration problem, described in one line."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


def parse_hhmm(value: str) -> time:
    """Parse "HH:MM" (24 h) or raise ValueError with a readable message."""
    if not isinstance(value, str) or not _HHMM.match(value):
        raise ValueError(f"{value!r} is not a time of day as HH:MM (24 h)")
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


class DatabaseConfig(_Section):
    url: str = "sqlite:///var/assistant.db"

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, url: str) -> str:
        if not url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError(f"{url!r} is not a sqlite:// or postgresql:// URL")
        return url


class TwilioConfig(_Section):
    account_sid: str = ""
    auth_token: str = ""
    from_number: str = ""
    api_base_url: str = "https://api.twilio.com"
    media_hosts: list[str] = Field(default_factory=lambda: ["api.twilio.com"])

    @field_validator("api_base_url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if not re.match(r"^https?://[^/\s]+", url):
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url.rstrip("/")

    @property
    def configured(self) -> bool:
        return bool(self.account_sid and self.auth_token)


class SpeechConfig(_Section):
    engine: Literal["auto", "vosk", "whisper", "none"] = "auto"
    vosk_models: dict[str, str] = Field(default_factory=dict)
    """Per language, the folder of an unpacked Vosk model ("" or absent: none)."""
    threads: int = Field(default=2, ge=1, le=64)
    """Whisper: how many utterances are decoded at once (one CPU thread each); one a CPU."""


class SpokenLanguage(_Section):
    voice: str
    language: str


class StreamTiming(_Section):
    """Turn-taking on a media stream (`voice.listen: stream`): when her turn is over.

    Older callers pause mid-sentence: a turn ends after `complete_silence_seconds` only
    when what she said so far is a complete request the matcher understands with
    confidence, else after `silence_seconds`."""

    complete_silence_seconds: float = Field(default=0.7, ge=0.2, le=5.0)
    silence_seconds: float = Field(default=2.0, ge=0.5, le=10.0)
    """Silence that ends any turn."""
    max_utterance_seconds: float = Field(default=20.0, ge=3.0, le=120.0)
    """An utterance this long is taken as it stands (a noisy line may never fall silent)."""
    min_speech_seconds: float = Field(default=0.2, ge=0.06, le=2.0)
    """Voiced sound shorter than this (a cough, a click) is not an utterance."""
    pause_decode_seconds: float = Field(default=0.3, ge=0.1, le=2.0)
    """After a pause this long, what she said so far is recognised and checked for help and
    completeness (Whisper, which has no partial results, decodes then)."""
    confident: float = Field(default=0.8, ge=0.0, le=1.0)
    """The matcher's confidence that makes a request complete."""
    no_answer_seconds: float = Field(default=6.0, ge=2.0, le=30.0)
    """After a question has been said (by an estimate of how long it takes to say), she is
    given this long to start answering before the question counts as unanswered."""
    vad_aggressiveness: int = Field(default=3, ge=0, le=3)
    """webrtcvad's mode: 0 (least) to 3 (most eager to call sound non-speech)."""

    @model_validator(mode="after")
    def _ordered(self) -> "StreamTiming":
        if self.complete_silence_seconds > self.silence_seconds:
            raise ValueError("complete_silence_seconds must not exceed silence_seconds")
        if self.pause_decode_seconds > self.complete_silence_seconds:
            raise ValueError("pause_decode_seconds must not exceed complete_silence_seconds")
        return self


class VoiceConfig(_Section):
    """How the hotline speaks: a TTS voice per language (each language's own, from its
    prompts file, unless `languages` names another), slowed with SSML prosody."""

    listen: Literal["stream", "record"] = "stream"
    """`stream`: hear the caller in real time over a Twilio Media Stream; `record`: a
    `<Record>` per answer (the fallback for carriers without streams)."""
    stream: StreamTiming = Field(default_factory=StreamTiming)
    audio_retention_days: int = Field(default=90, ge=1, le=3650)
    """Callers' audio under data_dir is deleted this many days after it was recorded."""

    rate: str = "90%"
    slow_rate: str = "75%"
    """Used when the caller asks for a repeat."""
    silence_seconds: int = Field(default=5, ge=1, le=30)
    """Silence that ends an answer (elders pause: keep it generous)."""
    max_answer_seconds: int = Field(default=30, ge=5, le=120)
    languages: dict[str, SpokenLanguage] = Field(default_factory=dict)

    @field_validator("rate", "slow_rate")
    @classmethod
    def _percent(cls, value: str) -> str:
        if not re.match(r"^\d{2,3}%$", value):
            raise ValueError(f"{value!r} is not a speaking rate such as 90%")
        return value


class RetryConfig(_Section):
    attempts: int = Field(default=3, ge=1, le=10)
    interval_seconds: int = Field(default=600, ge=30)


class OutboundConfig(_Section):
    calling_hours: tuple[str, str] = ("08:00", "21:00")
    retry: RetryConfig = Field(default_factory=RetryConfig)
    calls_per_second: float = Field(default=1.0, gt=0, le=100)
    max_concurrent_calls: int = Field(default=10, ge=1)
    grace_seconds: int = Field(default=900, ge=0)
    later_delay_seconds: int = Field(default=1800, ge=60)
    """A medicine reminder answered "later" is repeated once, this long after."""
    missed_doses_to_report: int = Field(default=2, ge=1, le=10)
    """Contacts are told when this many doses of one medicine in a row were missed."""
    appointment_reminder_time: str = "17:00"
    """Elder's local time, the day before the appointment."""
    provider_summary_time: str = "16:00"
    """Cutoff (organization.default_timezone) at which each meal provider gets tomorrow's orders."""

    @field_validator("calling_hours")
    @classmethod
    def _hours(cls, hours: tuple[str, str]) -> tuple[str, str]:
        start, end = (parse_hhmm(value) for value in hours)
        if start >= end:
            raise ValueError(f"the calling hours {hours[0]}-{hours[1]} must start before they end")
        return hours

    @field_validator("appointment_reminder_time", "provider_summary_time")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        parse_hhmm(value)
        return value


class SmsConfig(_Section):
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    """An SMS conversation idle this long is over: a bare number after it starts again."""


class WebConfig(_Section):
    trusted_proxy_hops: int = Field(default=0, ge=0, le=5)
    """Reverse proxies in front of `assistant serve` whose X-Forwarded-For/-Proto are believed
    (0: none, the client address is the connection's)."""
    session_hours: int = Field(default=12, ge=1, le=24 * 7)
    """A dashboard sign-in ends this long after it began, however active the volunteer."""


class HelpConfig(_Section):
    join_window_minutes: int = Field(default=30, ge=0, le=24 * 60)
    """Help from a number whose request is still open and at most this old joins that request:
    volunteers get one short update instead of a new alert."""
    alerts_per_number_per_hour: int = Field(default=3, ge=1, le=100)
    """Alert rounds (to volunteers and contacts) one caller's number can set off in an hour;
    more are recorded on the open request and the dashboard, not texted."""


class OrganizationConfig(_Section):
    name: str = "Community Care Line"
    """The name in the default language."""
    names: dict[str, str] = Field(default_factory=dict)
    """The name in other languages: {zh: 关爱热线}."""
    emergency_number: str = "911"
    default_region: str = "US"
    default_language: str = "en"
    default_timezone: str = "America/New_York"

    @field_validator("default_region")
    @classmethod
    def _region(cls, region: str) -> str:
        if region.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"{region!r} is not a two-letter region code such as US or CN")
        return region.upper()

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, name: str) -> str:
        check_timezone(name)
        return name


class Config(_Section):
    public_url: str = "http://127.0.0.1:5000"
    secret_key: str = ""
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    data_dir: Path = Path("var")
    languages_dir: Path = REPO_ROOT
    """The folder holding `intents/<lang>/` and `prompts/<lang>.yaml`: the languages spoken."""
    twilio: TwilioConfig = Field(default_factory=TwilioConfig)
    speech: SpeechConfig = Field(default_factory=SpeechConfig)
    voice: VoiceConfig = Field(default_factory=VoiceConfig)
    outbound: OutboundConfig = Field(default_factory=OutboundConfig)
    sms: SmsConfig = Field(default_factory=SmsConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    help: HelpConfig = Field(default_factory=HelpConfig)
    organization: OrganizationConfig = Field(default_factory=OrganizationConfig)

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, url: str) -> str:
        if not re.match(r"^https?://[^/\s]+", url):
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url.rstrip("/")

    @model_validator(mode="after")
    def _twilio_complete(self) -> "Config":
        if self.twilio.configured and not self.twilio.from_number:
            raise ValueError("twilio.from_number is required when twilio credentials are set")
        return self

    def check_languages(self) -> None:
        """Raise ConfigError when a setting names a language `languages_dir` has no data for."""
        codes = available(self.languages_dir)
        if not codes:
            raise ConfigError(f"languages_dir: {self.languages_dir} has no language "
                              "(a prompts/<lang>.yaml with an intents/<lang>/ folder)")
        settings = {"organization.default_language": [self.organization.default_language],
                    "organization.names": list(self.organization.names),
                    "voice.languages": list(self.voice.languages)}
        for key, languages in settings.items():
            for lang in languages:
                if lang not in codes:
                    raise ConfigError(f"{key}: {lang!r} is not a language of {self.languages_dir} "
                                      f"({', '.join(codes)})")

    @property
    def telephony_mode(self) -> str:
        return "twilio" if self.twilio.configured else "console"

    @property
    def recordings_dir(self) -> Path:
        return self.data_dir / "recordings"

    @property
    def corrections_dir(self) -> Path:
        """Where the review queue's corrections are exported, and the intent model learns
        from them."""
        return self.data_dir / "intent-candidates"

    @property
    def stream_url(self) -> str:
        """The media stream's websocket URL: `public_url` with https->wss, http->ws."""
        scheme, rest = self.public_url.split("://", 1)
        return f"{'wss' if scheme == 'https' else 'ws'}://{rest}{STREAM_PATH}"


def check_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a known time zone such as America/New_York") from None


def _set_path(raw: dict[str, Any], path: tuple[str, ...], value: str) -> None:
    node = raw
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    node[path[-1]] = value


def _one_line(error: ValidationError) -> str:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "config"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "is not a known setting"
    return f"{key}: {message}"


def load_config(path: str | os.PathLike[str] | None = None,
                environ: dict[str, str] | None = None,
                overrides: dict[str, Any] | None = None) -> Config:
    """Read, override and validate the configuration; raise ConfigError on any problem.

    Relative paths (`data_dir`, SQLite files) are taken relative to the config file's folder,
    so the app behaves the same whatever the working directory.
    """
    environ = os.environ if environ is None else environ
    file = Path(path or environ.get("ASSISTANT_CONFIG") or DEFAULT_CONFIG_FILE)
    raw: dict[str, Any] = {}
    if file.exists():
        try:
            loaded = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: not valid YAML ({str(exc).splitlines()[0]})") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"{file}: the top level must be a mapping of settings")
        raw = loaded or {}
    elif path or environ.get("ASSISTANT_CONFIG"):
        raise ConfigError(f"{file}: configuration file not found")
    for variable, key_path in ENV_OVERRIDES.items():
        if environ.get(variable):
            _set_path(raw, key_path, environ[variable])
    for dotted, value in (overrides or {}).items():
        _set_path(raw, tuple(dotted.split(".")), value)
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc)) from None
    config = _resolve_paths(config, file.parent.resolve())
    config.check_languages()
    return config


def _resolve_paths(config: Config, base: Path) -> Config:
    if not config.data_dir.is_absolute():
        config.data_dir = base / config.data_dir
    if not config.languages_dir.is_absolute():
        config.languages_dir = base / config.languages_dir
    config.speech.vosk_models = {
        lang: str(base / path) if path and not Path(path).expanduser().is_absolute() else path
        for lang, path in config.speech.vosk_models.items()}
    url = config.database.url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
        config.database.url = f"sqlite:///{base / url.removeprefix('sqlite:///')}"
    return config
