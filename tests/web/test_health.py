"""`GET /healthz` tells an operator whether the hotline can work."""
from flask.testing import FlaskClient


def test_healthz_reports_database_telephony_and_speech(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok"
    assert body["telephony"] == "console"
    assert set(body["speech"]) == {"en", "zh"}
