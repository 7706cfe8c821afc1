"""Admin pages edit everything `assistant import` can set, and every change is audited."""
from __future__ import annotations

from sqlalchemy import select

from assistant.db.database import Database
from assistant.db.models import (AuditLog, Contact, Doctor, Elder, MealMenuItem, MealProvider,
                                 Medication, Volunteer)
from assistant.passwords import verify_password
from tests.web.dashboard.conftest import Dashboard, People


def _actions(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_an_admin_adds_a_volunteer_with_a_password_that_is_never_logged(admin_dashboard: Dashboard,
                                                                         db: Database) -> None:
    response = admin_dashboard.post("/admin/volunteers/new", {
        "name": "Ann Lee", "phone": "(555) 010-0103", "email": "Ann@Example.org", "role": "volunteer",
        "language": "zh", "on_call": "y", "active": "y", "new_password": "a long secret"})
    assert response.status_code == 302
    with db.session() as session:
        ann = session.scalar(select(Volunteer).where(Volunteer.email == "ann@example.org"))
        assert ann.phone == "+15550100103" and ann.on_call and ann.language == "zh"
        assert verify_password(ann.password_hash, "a long secret")
        entry = session.scalar(select(AuditLog).where(AuditLog.action == "volunteer.created"))
    assert entry.details["secret_changed"] == ["password_hash"]
    assert "secret" not in str(entry.details["changes"])


def test_a_duplicate_phone_is_a_form_error_not_a_crash(admin_dashboard: Dashboard) -> None:
    response = admin_dashboard.post("/admin/volunteers/new", {
        "name": "Copy", "phone": "+15550100102", "role": "volunteer", "language": "en"})
    assert response.status_code == 200
    assert "Another record already has" in response.get_data(as_text=True)


def test_a_bad_phone_and_time_are_explained(admin_dashboard: Dashboard, db: Database) -> None:
    response = admin_dashboard.post("/admin/elders/new", {
        "name": "X", "phone": "12", "language": "en", "timezone": "Mars/Base", "doctor_id": "0",
        "diet": "", "checkin_time": "25:00", "checkin_channel": "call"})
    page = response.get_data(as_text=True)
    assert "not a phone number" in page and "Unknown time zone" in page and "HH:MM" in page


def test_the_rota_order_is_changed_with_up_and_down(admin_dashboard: Dashboard, people: People,
                                                    db: Database) -> None:
    admin_dashboard.post(f"/admin/rota/{people.volunteer_id}/up")
    with db.session() as session:
        order = [v.id for v in session.scalars(select(Volunteer).order_by(Volunteer.on_call_order))]
    assert order == [people.volunteer_id, people.admin_id]
    assert "rota.changed" in _actions(db)


def test_doctors_meal_provider_and_menu_are_edited(admin_dashboard: Dashboard, db: Database) -> None:
    admin_dashboard.post("/admin/doctors/new", {"name": "Dr. Ana Lopez", "clinic": "Eastside",
                                                "phone": "+15550100001", "aliases": "lopez, doctor lopez"})
    admin_dashboard.post("/admin/meals/providers/new", {"name": "Eastside Meals", "phone": "+15550100201",
                                                        "language": "zh"})
    admin_dashboard.post("/admin/meals/menu/new", {"code": "soft", "name": "Soft food", "names": "zh: 软食",
                                                   "position": "1", "active": "y"})
    refused = admin_dashboard.post("/admin/meals/menu/new", {"code": "hard", "name": "Hard", "names": "fr: Dur",
                                                             "position": "2", "active": "y"})
    assert refused.status_code == 200  # the form again, with its error: the hotline does not speak fr
    with db.session() as session:
        assert session.scalar(select(Doctor.aliases)) == ["lopez", "doctor lopez"]
        assert session.scalar(select(Doctor.language)) == ""
        assert tuple(session.execute(select(MealProvider.phone, MealProvider.language)).one()) == (
            "+15550100201", "zh")
        assert session.scalars(select(MealMenuItem.names)).all() == [{"zh": "软食"}]
    assert {"doctor.created", "meal_provider.created", "meal_menu_item.created"} <= set(_actions(db))
    page = admin_dashboard.get("/admin/doctors").get_data(as_text=True)
    assert "lopez, doctor lopez" in page


def test_an_elder_is_created_then_given_a_contact_and_a_medicine(admin_dashboard: Dashboard,
                                                                  db: Database) -> None:
    response = admin_dashboard.post("/admin/elders/new", {
        "name": "Mary Jones", "phone": "+15550123001", "language": "en", "timezone": "America/New_York",
        "doctor_id": "0", "diet": "", "checkin_time": "09:30", "checkin_channel": "call",
        "away_until": "2030-01-02T10:00", "active": "y"})
    assert response.status_code == 302
    with db.session() as session:
        elder = session.scalar(select(Elder))
        assert elder.checkin_time == "09:30" and elder.away_until.hour == 15  # 10:00 in New York
    admin_dashboard.post(f"/admin/elders/{elder.id}/contacts/new", {
        "name": "Tom Jones", "phone": "+15550123009", "relation": "son", "position": "0"})
    admin_dashboard.post(f"/admin/elders/{elder.id}/medications/new", {
        "name": "Metformin", "dose": "500 mg", "times": "08:00, 20:00", "channel": "call", "active": "y"})
    with db.session() as session:
        contact = session.scalar(select(Contact))
        assert contact.elder_id == elder.id
        assert session.scalar(select(Medication.times)) == ["08:00", "20:00"]
    assert "Tom Jones" in admin_dashboard.get(f"/admin/elders/{elder.id}").get_data(as_text=True)
    admin_dashboard.post(f"/admin/elders/{elder.id}/contacts/{contact.id}/delete")
    with db.session() as session:
        assert session.scalar(select(Contact)) is None
    assert {"elder.created", "contact.created", "medication.created", "contact.deleted"} <= set(_actions(db))


def test_editing_an_elder_records_only_what_changed(admin_dashboard: Dashboard, db: Database) -> None:
    with db.session() as session:
        elder = Elder(name="Mary Jones", phone="+15550123001", timezone="America/New_York")
        session.add(elder)
        session.flush()
        elder_id = elder.id
    form = {"name": "Mary Jones", "phone": "+15550123001", "language": "en",
            "timezone": "America/New_York", "doctor_id": "0", "diet": "", "checkin_time": "",
            "checkin_channel": "call", "active": "y", "notes": "hard of hearing"}
    admin_dashboard.post(f"/admin/elders/{elder_id}", form)
    with db.session() as session:
        entry = session.scalar(select(AuditLog).where(AuditLog.action == "elder.updated"))
    assert entry.details["changes"] == {"notes": ["", "hard of hearing"]}
