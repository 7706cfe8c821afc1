"""`assistant call --from NUMBER STEP...` drives the real hotline and prints the conversation,
in either listening mode: streaming, what she says goes down a media stream in real time."""
import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.db.database import Database
from tests.conftest import Words
from tests.demo import MARY, load_demo


@pytest.fixture(autouse=True)
def demo(db: Database) -> None:
    load_demo(db)


@pytest.mark.speech("whisper")
def test_a_simulated_call_hears_a_spoken_request_and_says_back_what_it_heard(
        runner: CliRunner, words: Words) -> None:
    result = runner.invoke(cli, ["call", "--from", MARY, "say:I would like to order lunch", "press:9"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if not line.startswith("[outbox]")]
    assert lines[0].startswith(f"assistant: {words('menu.greeting', name='Mary Jones')}")
    assert lines[1] == "caller: says 'I would like to order lunch'"
    assert lines[2].startswith(f"assistant: {words('echo.heard', heard=words('meal.lunch').capitalize())}")
    assert lines[3] == "caller: presses 9"
    assert lines[4] == f"assistant: {words('help.calling')}" and lines[5].startswith("assistant: (dials ")


def test_a_simulated_call_refuses_a_bad_number(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["call", "--from", "nobody", "press:1"])
    assert result.exit_code == 2 and "not a phone number" in result.output
