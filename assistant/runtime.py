"""The process's shared resources: configuration, database and telephony, built once."""
from __future__ import annotations

from dataclasses import dataclass, field

from assistant.config import Config
from assistant.db.database import Database
from assistant.db.read_cache import ReadCache
from assistant.nlu.data import IntentData, load_intent_data
from assistant.nlu.directory import directory_from_db
from assistant.nlu.model import Directory
from assistant.services.meal_menu import MenuEntry, menu_from_db
from assistant.services.outbox_sender import OutboxSender
from assistant.services.review import CORRECTIONS_FOLDER
from assistant.telephony import Telephony, make_telephony


@dataclass
class Runtime:
    config: Config
    db: Database
    telephony: Telephony
    names: ReadCache[Directory] = field(default_factory=lambda: ReadCache(directory_from_db))
    """Doctor and medication names for the matcher, re-read every few seconds."""
    menu: ReadCache[tuple[MenuEntry, ...]] = field(default_factory=lambda: ReadCache(menu_from_db))
    """The active meal menu, re-read every few seconds."""
    outbox: OutboxSender = field(init=False)
    """Sends what committed transactions wrote to the outbox (inline until `outbox.start()`)."""

    def __post_init__(self) -> None:
        self.outbox = OutboxSender(self)

    @property
    def intents(self) -> IntentData:
        """The intent data, with models trained on it and on the volunteers' exported
        corrections (`data_dir/intent-candidates`); trained once per process."""
        return load_intent_data(corrections=self.config.data_dir / CORRECTIONS_FOLDER)

    @classmethod
    def build(cls, config: Config, db: Database | None = None,
              telephony: Telephony | None = None) -> "Runtime":
        db = db or Database(config.database.url)
        return cls(config=config, db=db, telephony=telephony or make_telephony(config))
