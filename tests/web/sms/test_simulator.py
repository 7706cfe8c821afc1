"""`assistant sms --from NUMBER TEXT` drives the real webhook and prints what it caused."""
from click.testing import CliRunner

from assistant.cli import cli
from tests.conftest import Words
from tests.demo import MARY, SAM


def test_the_simulator_prints_the_reply_and_every_text_sent(runner: CliRunner, words: Words) -> None:
    result = runner.invoke(cli, ["sms", "--from", MARY, "HELP"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"reply: {words('help.calling', 'en', 'sms')}"
    assert any(line.startswith(f"sent to {SAM} (alert_volunteer, ") and "ACK 1" in line for line in lines)
    again = runner.invoke(cli, ["sms", "--from", SAM, "ACK", "1"])
    assert again.output.startswith(f"reply: {words('sms.volunteer.acked', 'en', 'sms', id=1, who='Mary Jones', phone=MARY)}")


def test_the_simulator_refuses_a_bad_number(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["sms", "--from", "nobody", "HELP"])
    assert result.exit_code == 2 and "not a phone number" in result.output
