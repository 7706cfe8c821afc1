"""The outbox sender: sends what committed transactions wrote to the outbox, exactly once.

Each row is claimed ("sending") in a committed transaction of its own, sent through the
telephony port with no transaction open, and recorded in a third. So:
- a stalled carrier holds only the sender (each request has connect and read timeouts), never
  a webhook or the database;
- a carrier that answered with an error did nothing: the row is tried again with backoff,
  and given up after MAX_ATTEMPTS (the failure is shown on the dashboard's Now page);
- a request that may have reached the carrier (a read timeout) or a sender that died mid-send
  leaves the row "unsure". The carrier's status callback settles it (`?ref=`). Without one
  within UNSURE_SECONDS an alert is sent again (a second alert is cheaper than a lost one);
  anything else is given up for a person to check, never sent twice blindly.

In `assistant serve` and `assistant worker` a background thread sends (`start()`), woken by
each commit that wrote to the outbox and every POLL_SECONDS for retries and other processes'
rows. Elsewhere (the CLI simulators, tests) each commit sends inline, after the commit.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update

from assistant.db.models import OutboxMessage
from assistant.phones import mask
from assistant.services.outbox import record_failed, record_sent
from assistant.telephony import TelephonyError

if TYPE_CHECKING:
    from assistant.runtime import Runtime

log = logging.getLogger(__name__)

INTERRUPTED, UNSURE = "interrupted", "unsure"
"""`last_error` of a row whose sender stopped while sending it, and of one given up without
word from the carrier, which may have gone out (the dashboard words both)."""
BACKOFF_SECONDS = (5, 15, 60, 180, 600, 1200)
"""Wait before the 2nd, 3rd... attempt after a carrier error; the last value repeats."""
MAX_ATTEMPTS = 8
CLAIM_SECONDS = 60
"""A claim older than this belongs to a sender that died (longer than any request may take)."""
UNSURE_SECONDS = 120
"""How long an unsure row waits for the carrier's status callback before it is decided."""
RESENT_WHEN_UNSURE = ("alert_volunteer", "alert_contact", "alert_unanswered", "help_update")
POLL_SECONDS = 1.0
BATCH = 50


class OutboxSender:
    def __init__(self, rt: Runtime) -> None:
        self.rt, self.db = rt, rt.db
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._draining = threading.local()
        rt.db.after_outbox_commit.append(self._committed)


    def now(self) -> datetime:
        """The runtime's clock (tests move a manual one)."""
        return self.rt.clock.now()
    def _committed(self) -> None:
        if self._thread is not None:
            self._wake.set()
        elif not getattr(self._draining, "active", False):
            try:
                self.drain()
            except Exception:  # noqa: BLE001 - the decision is committed; the rows wait for the next pass
                log.exception("sending the outbox after a commit failed")

    def start(self) -> None:
        """Send on a background thread from now on."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.drain()
            except Exception:  # noqa: BLE001 - the sender must outlive a database hiccup
                log.exception("outbox sender pass failed; trying again")
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    def drain(self) -> int:
        """Send everything due now; returns how many rows were sent."""
        self._draining.active = True
        try:
            sent = 0
            while not self._stop.is_set():
                ids = self._due(self.now())
                for row_id in ids:
                    sent += self._send(row_id)
                if len(ids) < BATCH:
                    return sent
            return sent
        finally:
            self._draining.active = False

    def _due(self, now: datetime) -> list[int]:
        with self.db.session() as session:
            session.execute(update(OutboxMessage)
                            .where(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now)
                            .values(status="unsure", claimed_until=None,
                                    next_attempt_at=now + timedelta(seconds=UNSURE_SECONDS),
                                    last_error=INTERRUPTED)
                            .execution_options(synchronize_session=False))
            for row in session.scalars(select(OutboxMessage).where(
                    OutboxMessage.status == "unsure", OutboxMessage.next_attempt_at <= now).limit(BATCH)):
                if row.purpose in RESENT_WHEN_UNSURE:
                    log.warning("outbox %d (%s): no word from the carrier; sending it again", row.id, row.purpose)
                    row.status = "pending"
                else:
                    log.warning("outbox %d (%s): may or may not have gone out; left for a person",
                                row.id, row.purpose)
                    record_failed(session, row, UNSURE, now, surely_unsent=False)
            return list(session.scalars(
                select(OutboxMessage.id).where(
                    OutboxMessage.status == "pending",
                    or_(OutboxMessage.attempts == 0, OutboxMessage.next_attempt_at <= now))
                .order_by(OutboxMessage.id).limit(BATCH)))

    def _send(self, row_id: int) -> int:
        now = self.now()
        with self.db.session() as session:
            claimed = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.status == "pending")
                .values(status="sending", attempts=OutboxMessage.attempts + 1,
                        claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
                .execution_options(synchronize_session=False)).rowcount == 1
            row = session.get(OutboxMessage, row_id) if claimed else None
        if row is None:
            return 0
        try:
            sid = self._deliver(row)
        except TelephonyError as exc:
            self._failed(row, exc)
            return 0
        with self.db.session() as session:
            record_sent(session, row.id, sid, self.now())
        log.info("outbox %d: %s to %s (%s) sent as %s", row.id, row.kind, mask(row.to_number), row.purpose, sid)
        return 1

    def _deliver(self, row: OutboxMessage) -> str:
        callback = f"{self.rt.config.public_url}/status/{'sms' if row.kind == 'sms' else 'call'}?ref={row.ref}"
        if row.kind == "sms":
            return self.rt.telephony.send_sms(row.to_number, row.body, status_callback=callback)
        return self.rt.telephony.place_call(
            row.to_number, row.body, status_callback=callback,
            machine_detection=bool(row.params.get("machine_detection")),
            timeout_seconds=int(row.params.get("timeout", 30)))

    def _failed(self, row: OutboxMessage, exc: TelephonyError) -> None:
        now = self.now()
        with self.db.session() as session:
            fresh = session.get(OutboxMessage, row.id)
            if fresh is None or fresh.status != "sending":
                return
            if exc.maybe_done:
                log.warning("outbox %d (%s): %s; waiting for the carrier's word", row.id, row.purpose, exc)
                fresh.status, fresh.claimed_until, fresh.last_error = "unsure", None, str(exc)[:200]
                fresh.next_attempt_at = now + timedelta(seconds=UNSURE_SECONDS)
            elif fresh.attempts >= MAX_ATTEMPTS:
                log.error("outbox %d (%s) to %s failed %d times: %s", row.id, row.purpose,
                          mask(row.to_number), fresh.attempts, exc)
                record_failed(session, fresh, str(exc), now)
            else:
                delay = BACKOFF_SECONDS[min(fresh.attempts, len(BACKOFF_SECONDS)) - 1]
                log.warning("outbox %d (%s): %s; trying again in %d s", row.id, row.purpose, exc, delay)
                fresh.status, fresh.claimed_until, fresh.last_error = "pending", None, str(exc)[:200]
                fresh.next_attempt_at = now + timedelta(seconds=delay)
