"""Demo monitoring: the registry's 'monitored' households as monitored records of each type, some exited
households whose risk was cleared, and a few fresh clues with the procedure under way; bulk-written."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, text

from fupin.core.audit import Actor, AuditAction
from fupin.core.db import bulk_insert
from fupin.core.demo import DemoContext
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.monitoring.models import MonitoredHousehold, MonitoringStep
from fupin.monitoring.rules import MONITOR_TYPES, STATUSES, STEPS
from fupin.registry.queries import households_select

TODAY = dt.date(2024, 1, 1)
TYPES = list(MONITOR_TYPES)
RISKS = ["illness", "disability", "schooling", "disaster", "unstable_job", "no_labour", "housing", "water",
         "accident", "industry_failure"]
RISK_WEIGHTS = [30, 15, 8, 10, 15, 8, 6, 3, 3, 2]
CHANNELS = ["self_report", "cadre_check", "department_alert"]
RECORD_COLUMNS = ["id", "household_id", "county_code", "area_code", "monitor_type", "risk_types", "channel",
                  "clue_on", "status", "identified_on", "cleared_on", "note", "created_at", "version"]
STEP_COLUMNS = ["monitored_id", "area_code", "step", "happened_on", "actor_name", "note", "created_at"]
CREATED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("monitoring")
    with UnitOfWork(ctx.db, Actor.system("demo")) as uow:
        session = uow.session
        county = households_select(Scope.of_area(ctx.county_code), ("monitored", "exited")).subquery()
        rows = session.execute(select(county.c.id, county.c.county_code, county.c.area_code, county.c.status)
                               .order_by(county.c.id)).all()
        monitored = [r for r in rows if r.status == "monitored"]
        exited = [r for r in rows if r.status == "exited"]
        rng.shuffle(exited)
        # Every type appears even in a tiny demo: borrow exited households when the registry has too few.
        while len(monitored) < len(TYPES) and exited:
            monitored.append(exited.pop())
        cleared = exited[:max(2, len(exited) // 100)]
        identifying = exited[len(cleared):len(cleared) + max(3, len(exited) // 200)]
        next_id = (session.scalar(select(func.max(MonitoredHousehold.id))) or 0) + 1
        records: list[tuple] = []  # type: ignore[type-arg]
        steps: list[tuple] = []  # type: ignore[type-arg]

        def add(row, kind: int, status: str) -> None:  # type: ignore[no-untyped-def]
            nonlocal next_id
            monitor_type = TYPES[kind % len(TYPES)] if kind >= 0 else rng.choices(TYPES, weights=[50, 35, 15])[0]
            risks = sorted(set(rng.choices(RISKS, weights=RISK_WEIGHTS, k=rng.choice([1, 1, 2]))))
            if status == "identifying":
                clue = TODAY - dt.timedelta(days=rng.randint(2, 12))
            elif status == "cleared":
                clue = dt.date(2021, 3, 1) + dt.timedelta(days=rng.randint(0, 500))
            else:
                clue = dt.date(2021, 3, 1) + dt.timedelta(days=rng.randint(0, 900))
            on = clue
            dates = []
            for number, (step, _name) in enumerate(STEPS):
                on = on + dt.timedelta(days=rng.randint(5, 6) if step == "approval" else rng.randint(1, 2))
                if on >= TODAY or (status == "identifying" and number >= rng.randint(0, 3)):
                    break
                dates.append((step, on))
            approved = dict(dates).get("approval")
            if status != "identifying" and approved is None:
                status = "identifying"
            cleared_on = None
            if status == "cleared":
                cleared_on = min(approved + dt.timedelta(days=rng.randint(200, 540)), TODAY - dt.timedelta(days=1))
            records.append((next_id, row.id, row.county_code, row.area_code, monitor_type, ",".join(risks),
                            rng.choice(CHANNELS), clue, status, approved, cleared_on, None, CREATED, 1))
            for step, happened in dates:
                steps.append((next_id, row.area_code, step, happened, "演示:村两委", None, CREATED))
            next_id += 1

        for index, row in enumerate(monitored):
            add(row, index if index < len(TYPES) else -1, "monitored")
        for row in cleared:
            add(row, -1, "cleared")
        for index, row in enumerate(identifying):
            add(row, index, "identifying")
        connection = session.connection()
        bulk_insert(connection, MonitoredHousehold.__table__, RECORD_COLUMNS, records)
        bulk_insert(connection, MonitoringStep.__table__, STEP_COLUMNS, steps)
        _bump_sequences(connection, ("monitored_households", "monitoring_steps"))
        uow.audit(AuditAction.imported, "monitored_households", None, area_code=ctx.county_code,
                  detail={"source": "demo", "seed": ctx.seed, "records": len(records)})
    by_status = {code: sum(1 for r in records if r[8] == code) for code in STATUSES}
    ctx.facts["monitored_households"] = len(records)
    ctx.summary.append(f"防返贫监测:监测帮扶中{by_status['monitored']}户,风险已消除{by_status['cleared']}户,"
                       f"认定中{by_status['identifying']}户")


def _bump_sequences(connection, tables: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL: move each table's id sequence past the ids written explicitly above."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed table names
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"))
