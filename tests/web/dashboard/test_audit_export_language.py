"""The audit log for admins, CSV exports, and the interface in English and 中文."""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from assistant.db.database import Database
from assistant.db.models import AuditLog, MealOrder, SmsMessage
from assistant.web.dashboard.i18n import CATALOG_DIR, LANGUAGES, catalog
from tests.web.dashboard.conftest import Dashboard, add_call, add_elder, add_help_request

TEMPLATES = Path(CATALOG_DIR).parent


def test_the_audit_log_shows_who_did_what(admin_dashboard: Dashboard, db: Database) -> None:
    request_id = add_help_request(db, None)
    admin_dashboard.post(f"/help/{request_id}/acknowledge")
    page = admin_dashboard.get("/audit?action=help.").get_data(as_text=True)
    assert "help.acknowledged" in page and "Sam Admin" in page
    assert "auth.signed_in" not in page


def test_calls_messages_and_orders_export_as_csv_for_a_date_range(volunteer_dashboard: Dashboard,
                                                                  db: Database) -> None:
    elder = add_elder(db)
    add_call(db, elder, {"transcript": "hello"})
    with db.session() as session:
        session.add(SmsMessage(direction="inbound", elder_id=elder, body="=HYPERLINK(\"x\")"))
        session.add(MealOrder(elder_id=elder, meal="lunch", day=date.today()))
    today = date.today().isoformat()
    for kind, expected in (("calls", "Mary Jones"), ("messages", "'=HYPERLINK"), ("orders", "lunch x1")):
        response = volunteer_dashboard.get(f"/export?kind={kind}&date_from=2000-01-01&date_to={today}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert len(rows) == 2 and expected in ",".join(rows[1]), (kind, rows)
    with db.session() as session:
        exports = session.scalars(select(AuditLog.entity).where(AuditLog.action == "export.downloaded"))
        assert list(exports) == ["calls", "messages", "orders"]


def test_the_export_form_shows_without_downloading(volunteer_dashboard: Dashboard) -> None:
    response = volunteer_dashboard.get("/export")
    assert response.mimetype == "text/html" and "Download CSV" in response.get_data(as_text=True)


def test_the_interface_switches_to_chinese_and_back(volunteer_dashboard: Dashboard) -> None:
    volunteer_dashboard.post("/language", {"lang": "zh", "next": "/log"})
    assert "通话与短信" in volunteer_dashboard.get("/log").get_data(as_text=True)
    volunteer_dashboard.post("/language", {"lang": "en", "next": "//evil.example"})
    assert "Calls &amp; messages" in volunteer_dashboard.get("/log").get_data(as_text=True)


def test_every_catalog_has_the_same_keys() -> None:
    english = set(catalog("en"))
    for lang in LANGUAGES:
        assert set(catalog(lang)) == english, lang


def test_every_text_a_template_asks_for_is_in_the_catalog() -> None:
    used = set()
    for path in list(TEMPLATES.rglob("*.html")) + list(TEMPLATES.glob("*.py")):
        used |= set(re.findall(r"""\bt\(["']([a-z_]+\.[a-z_0-9]+)["']\s*[,)]""", path.read_text(encoding="utf-8")))
    assert used and used <= set(catalog("en")), used - set(catalog("en"))


def test_every_page_renders_in_both_languages(admin_dashboard: Dashboard, db: Database) -> None:
    elder = add_elder(db)
    call = add_call(db, elder, {"transcript": "hello", "needs_review": True})
    pages = ["/", "/log", f"/calls/{call}", "/review", "/elders", f"/elders/{elder}", "/orders",
             "/export", "/audit", "/admin/volunteers", "/admin/doctors", "/admin/meals",
             "/admin/elders/new", f"/admin/elders/{elder}", f"/admin/elders/{elder}/contacts/new"]
    for lang in LANGUAGES:
        admin_dashboard.post("/language", {"lang": lang})
        for url in pages:
            assert admin_dashboard.get(url).status_code == 200, (lang, url)
