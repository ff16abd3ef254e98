"""What the job worker does for services between jobs (`background_tasks`): overdue requests go up a level.

Before, escalation ran only when somebody ran `fupin services overdue --escalate` (a daily cron); a county without
the cron never escalated. Now the worker runs it at most once per FUPIN_ESCALATION_EVERY_MINUTES (0: never) in each
worker process. Running
it twice, or in two processes at once, is harmless: a request already at its due level is left alone, and the rows
are held while they move (service.escalate_overdue).
"""

from __future__ import annotations

import threading
import time

from fupin.core.db import Database
from fupin.core.identity import Actor
from fupin.core.settings import get_settings
from fupin.core.uow import UnitOfWork
from fupin.services import service

WORKER = Actor.system("后台任务")

_last_run: dict[str, float] = {}
_guard = threading.Lock()


def escalate_when_due(db: Database) -> bool:
    """Escalate every overdue request in the country when the interval has passed; True when a request moved."""
    every = get_settings().escalation_every_minutes * 60
    if every <= 0:
        return False
    with _guard:
        now = time.monotonic()
        last = _last_run.get(db.url)
        if last is not None and now - last < every:
            return False
        _last_run[db.url] = now
    return bool(service.escalate_overdue(UnitOfWork(db, WORKER)))
