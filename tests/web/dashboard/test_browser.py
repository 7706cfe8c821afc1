"""Browser tests: Debian's chromium, driven by Playwright, against a real server in a thread.

`seed_help_request` makes the help request the way an elder does: a simulated call through
the real voice webhooks, speaking a synthesized recording that the speech engine hears.
"""
from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from assistant.config import Config, load_config
from assistant.db.database import Database
from assistant.db.models import DoseEvent, HelpRequest, Medication, OutboundTask, Volunteer
from assistant.runtime import Runtime
from assistant.simulator.call import SimulatedCall
from assistant.simulator.synth import synthesize
from assistant.web import create_app
from assistant.web.dashboard.i18n import catalog
from tests.conftest import write_config
from tests.web.dashboard.conftest import PASSWORD, add_call, add_elder

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required"]
SCREENS = Path("/tmp/screens")
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@dataclass
class Site:
    url: str
    config: Config
    db: Database


def seed_help_request(site: Site) -> int:
    """Mary calls the hotline and says she fell; returns the help request the call opened."""
    add_elder(site.db)
    inbox = site.config.data_dir / "simulator"
    inbox.mkdir(parents=True, exist_ok=True)
    said = synthesize("Help, I fell in the kitchen", inbox / "fall.wav")

    def post(url: str, params: dict[str, str]) -> tuple[int, str]:
        response = requests.post(url.replace(site.config.public_url, site.url), data=params, timeout=30)
        return response.status_code, response.text

    call = SimulatedCall(post, lambda audio: said.resolve().as_uri(), caller="+15550123001",
                         hotline_number="+15550009999")
    call.dial_in(f"{site.url}/voice/incoming").play(said.read_bytes())
    assert call.dialled() == "+15550100101", call.says()
    with site.db.session() as session:
        return session.scalar(select(HelpRequest.id))


def seed_thirty_days(site: Site, elder_id: int) -> None:
    """A month of check-ins (two missed) and a daily dose (one missed), for the profile's picture."""
    zone = ZoneInfo("America/New_York")
    today = datetime.now(zone).date()
    with site.db.session() as session:
        medication = Medication(elder_id=elder_id, name="阿司匹林", dose="100 mg", times=["08:00"])
        session.add(medication)
        session.flush()
        for days_ago in range(1, 30):
            day = today - timedelta(days=days_ago)
            due = datetime.combine(day, time(9, 30), zone)
            session.add(OutboundTask(key=f"{elder_id}:checkin:{day}", kind="checkin", elder_id=elder_id,
                                     due_at=due, next_attempt_at=due,
                                     status="missed" if days_ago in (3, 11) else "done"))
            session.add(DoseEvent(medication_id=medication.id, elder_id=elder_id, local_date=day,
                                  slot="08:00", status="missed" if days_ago == 5 else "taken"))


@pytest.fixture
def site(tmp_path: Path, password_hash: str) -> Iterator[Site]:
    config = load_config(write_config(tmp_path, f"sqlite:///{tmp_path / 'browser.db'}",
                                      **{"speech.engine": "whisper"}), environ={})
    db = Database(config.database.url)
    db.upgrade()
    with db.session() as session:
        session.add_all([
            Volunteer(name="Sam Admin", phone="+15550100101", email="sam@example.org",
                      password_hash=password_hash, role="admin", on_call=True),
            Volunteer(name="Li Helper", phone="+15550100102", email="li@example.org",
                      password_hash=password_hash, on_call=True, on_call_order=1)])
    server = make_server("127.0.0.1", 0, create_app(config, Runtime.build(config, db)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{server.server_port}", config, db)
    server.shutdown()
    thread.join()
    server.server_close()
    db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=SIZES["desktop"])
    yield context.new_page()
    context.close()


def sign_in(page: Page, site: Site, email: str) -> None:
    page.goto(f"{site.url}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Now")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_volunteer_hears_acknowledges_and_resolves_a_help_request_and_an_admin_sees_it_audited(
        page: Page, site: Site) -> None:
    request_id = seed_help_request(site)
    sign_in(page, site, "li@example.org")
    card = page.locator(f"#help-{request_id}")
    expect(card).to_contain_text(re.compile("fell in (the|my) kitchen", re.IGNORECASE))
    expect(card).to_contain_text("waiting")

    card.get_by_role("link", name="Open the call").click()
    with page.expect_response(lambda r: "/recordings/" in r.url) as played:
        page.locator("audio").first.evaluate("audio => audio.play()")
    assert played.value.status in (200, 206)
    assert played.value.headers["content-type"] == "audio/wav"

    page.get_by_role("link", name="Now").click()
    card.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status")).to_contain_text(f"#{request_id} acknowledged")
    card.get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("status")).to_contain_text(f"#{request_id} resolved")
    expect(page.locator(f"#help-{request_id}")).to_have_count(0)
    sign_out(page)

    sign_in(page, site, "sam@example.org")
    page.get_by_role("link", name="Audit log").click()
    log = page.locator("table")
    for action in ("help.acknowledged", "help.resolved", "recording.played"):
        expect(log).to_contain_text(action)
    expect(log.locator("tr", has_text="help.resolved")).to_contain_text("Li Helper")


def test_a_volunteer_corrects_a_not_understood_turn(page: Page, site: Site) -> None:
    add_call(site.db, add_elder(site.db), {"prompt": "How can I help?", "transcript": "I need a dock tor",
                                           "confidence": 0.2, "needs_review": True})
    sign_in(page, site, "li@example.org")
    page.get_by_role("link", name="Review").click()
    page.get_by_label("What the caller said").fill("I need a doctor")
    page.get_by_label("What they meant").select_option("book_doctor")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("status")).to_contain_text("Correction saved")
    expect(page.get_by_text("Nothing to review")).to_be_visible()


def test_a_volunteer_cannot_reach_admin_pages(page: Page, site: Site) -> None:
    sign_in(page, site, "li@example.org")
    expect(page.get_by_role("link", name="Admin")).to_have_count(0)
    response = page.goto(f"{site.url}/admin/volunteers")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


def test_a_form_without_its_csrf_token_is_refused(page: Page, site: Site) -> None:
    request_id = seed_help_request(site)
    sign_in(page, site, "li@example.org")
    card = page.locator(f"#help-{request_id}")
    card.locator("input[name=csrf_token]").first.evaluate("input => input.remove()")
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        card.get_by_role("button", name="Acknowledge").click()
    assert refused.value.status == 400
    page.goto(site.url)
    expect(page.locator(f"#help-{request_id}")).to_contain_text("Open")


def test_every_page_shows_its_content_at_desktop_and_phone_width_with_a_screenshot_of_each(
        browser: Browser, site: Site) -> None:
    request_id = seed_help_request(site)
    elder = add_elder(site.db, name="张秀英", phone="+15550123003", language="zh")
    call = add_call(site.db, elder, {"prompt": "有什么可以帮您？", "transcript": "我要订午饭", "confidence": 0.4,
                                     "needs_review": True})
    seed_thirty_days(site, elder)
    en, zh = catalog("en"), catalog("zh")
    fell = re.compile("fell in (the|my) kitchen", re.IGNORECASE)
    pages: dict[str, tuple[str, str, list[str | re.Pattern[str]]]] = {
        # name: (path, the page's heading, what else it must show)
        "now": ("/", en["now.title"], [fell]),
        "log": ("/log", en["log.title"], ["张秀英", "Mary Jones"]),
        "call": (f"/calls/{call}", en["call.title"].format(id=call), ["有什么可以帮您？", "我要订午饭"]),
        "review": ("/review", en["review.title"], ["我要订午饭"]),
        "elders": ("/elders", en["elders.title"], ["张秀英", "Mary Jones"]),
        "elder": (f"/elders/{elder}", "张秀英", [en["elders.days_title"], "阿司匹林"]),
        "orders": ("/orders", en["orders.title"], [en["orders_tab.meal"]]),
        "export": ("/export", en["export.title"], [en["field.export_kind"]]),
        "audit": ("/audit", en["audit.title"], ["auth.signed_in", "help.opened"]),
        "admin-volunteers": ("/admin/volunteers", en["admin.volunteers"], ["Sam Admin", "Li Helper"]),
        "admin-doctors": ("/admin/doctors", en["admin.doctors"], [en["admin.doctor_new"]]),
        "admin-meals": ("/admin/meals", en["admin.meals"], [en["admin.providers"], en["admin.menu"]]),
        "admin-elder": (f"/admin/elders/{elder}", f"{en['admin.elder']}: 张秀英", [en["field.language"]]),
        "not-found": ("/elders/999999", en["error.http_404"], [en["error.http_404_detail"]]),
    }
    shutil.rmtree(SCREENS, ignore_errors=True)
    SCREENS.mkdir(parents=True)
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(f"{site.url}/sign-in")
        expect(page.get_by_role("heading", level=1)).to_have_text(en["auth.title"])
        page.screenshot(path=SCREENS / f"sign-in-{size}.png", full_page=True)
        sign_in(page, site, "sam@example.org")
        for name, (path, heading, shows) in pages.items():
            page.goto(f"{site.url}{path}")
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            for content in shows:
                expect(page.locator("main")).to_contain_text(content)
            page.screenshot(path=SCREENS / f"{name}-{size}.png", full_page=True)
        page.goto(f"{site.url}/")
        page.get_by_role("button", name="中文").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(zh["now.title"])
        expect(page.locator(f"#help-{request_id}")).to_contain_text(fell)
        page.screenshot(path=SCREENS / f"now-zh-{size}.png", full_page=True)
        context.close()
    assert len(list(SCREENS.glob("*.png"))) == 2 * (len(pages) + 2)
