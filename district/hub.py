"""The hub's per-application state (settings and engine), reachable from views via :func:`current`."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy.engine import Engine

from district.admission import Admission
from district.settings import HubSettings
from district.store.clock import utcnow


@dataclass
class Hub:
    settings: HubSettings
    engine: Engine
    admission: Admission = field(init=False)

    def __post_init__(self) -> None:
        self.admission = Admission(self.settings.ingest_concurrency, self.settings.ingest_max_wait_s,
                                   max_waiting=self.settings.ingest_max_waiting,
                                   deadline_s=self.settings.ingest_deadline_s)

    def now(self) -> datetime:
        return utcnow()

    def today(self) -> date:
        return self.now().astimezone(self.settings.tz).date()

    @property
    def title(self) -> str:
        return self.settings.name


def current() -> Hub:
    return current_app.extensions["motcua_hub"]
