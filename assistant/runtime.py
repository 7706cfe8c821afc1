"""The process's shared resources: configuration, languages, clock, database and telephony,
built once."""
from __future__ import annotations

from dataclasses import dataclass, field

from assistant.clock import Clock, SystemClock
from assistant.config import Config
from assistant.db.database import Database
from assistant.db.read_cache import ReadCache
from assistant.languages import Languages
from assistant.nlu.directory import directory_from_db
from assistant.nlu.model import Directory
from assistant.services.meal_menu import MenuEntry, menu_from_db
from assistant.services.outbox_sender import OutboxSender
from assistant.telephony import Telephony, make_telephony


@dataclass
class Runtime:
    config: Config
    db: Database
    telephony: Telephony
    languages: Languages
    clock: Clock = field(default_factory=SystemClock)
    """The one source of "now" for web, channels, dialog and scheduler (tests set a manual one)."""
    names: ReadCache[Directory] = field(default_factory=lambda: ReadCache(directory_from_db))
    """Doctor and medication names for the matcher, re-read every few seconds."""
    menu: ReadCache[tuple[MenuEntry, ...]] = field(default_factory=lambda: ReadCache(menu_from_db))
    """The active meal menu, re-read every few seconds."""
    outbox: OutboxSender = field(init=False)
    """Sends what committed transactions wrote to the outbox (inline until `outbox.start()`)."""

    def __post_init__(self) -> None:
        self.outbox = OutboxSender(self)

    @classmethod
    def build(cls, config: Config, db: Database | None = None, telephony: Telephony | None = None,
              clock: Clock | None = None) -> "Runtime":
        db = db or Database(config.database.url)
        return cls(config=config, db=db, telephony=telephony or make_telephony(config),
                   languages=Languages(config), clock=clock or SystemClock())
