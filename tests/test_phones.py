"""Phone numbers are stored as E.164 and never logged in full."""
import pytest

from assistant.phones import PhoneError, mask, normalize


@pytest.mark.parametrize(("raw", "region", "expected"), [
    ("(555) 012-3001", "US", "+15550123001"),
    ("+1 555 012 3001", "CN", "+15550123001"),
    ("0631 0000 0001", "CN", "+8663100000001"),
])
def test_numbers_are_normalised_to_e164_in_the_default_region(raw: str, region: str, expected: str) -> None:
    assert normalize(raw, region) == expected


@pytest.mark.parametrize("raw", ["", "12", "call me", "+1 555"])
def test_impossible_numbers_are_refused(raw: str) -> None:
    with pytest.raises(PhoneError):
        normalize(raw, "US")


def test_masked_numbers_keep_only_the_country_code_and_last_digits() -> None:
    assert mask("+15550123001") == "+155******01"
    assert "0123" not in mask("+15550123001")
