import pytest

from tests.hotline import carrier, config_path, extra_settings, hotline  # noqa: F401  (fixtures)


@pytest.fixture(params=["record", "stream"])
def voice_listen(request: pytest.FixtureRequest) -> str:
    """Every conversation test runs with `<Record>` answers and over a media stream."""
    return request.param
