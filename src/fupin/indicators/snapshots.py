"""Figures snapshots: the dashboard's and the home page's figures of an area and year, computed by the job worker,
read by the pages.

At a million people a county's dashboard takes seconds to fold. While every web process computed it itself (a
per-process cache), each did it again every minute and the computations starved every other request of the cores
(bench/RESULTS.md, "A county at once"). Now a page reads the area's latest snapshot row (`figure_snapshots`), and
the worker (`fupin worker`, or the worker thread of a single-process `fupin serve`) refreshes it:
- a page that finds its snapshot older than `figure_cache_seconds` shows it anyway, with its age, and marks it
  wanted (`wanted_at`, one conditional UPDATE per refresh cycle);
- the worker, when it has no job to run, refreshes the oldest wanted snapshot (`refresh_next`), claiming it first
  so that two workers never fold the same figures at once;
- only a snapshot that was never computed — or one far older than it may be, because no worker runs
  (`figure_snapshot_max_age`) — is computed by the page itself, once per process at a time (the figure cache's
  single flight), and written for everybody.

The figures of an area do not depend on who looks (a scope only decides *whether* one may look, checked before
the snapshot is read), so one snapshot serves every user. Nothing that decides anything (an exit, a warning, a
quota) reads a snapshot — only what is shown. With `figure_cache_seconds` at 0 (the tests) pages compute directly.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from fupin.core.areacodes import AreaLevel, level_of
from fupin.core.cache import FIGURES
from fupin.core.db import Database, begin_write, take_turns, utcnow
from fupin.core.scoping import Scope
from fupin.core.settings import get_settings
from fupin.indicators import engine
from fupin.indicators.catalogue import BY_CODE
from fupin.indicators.models import FigureSnapshot

log = logging.getLogger("fupin.indicators.snapshots")

DASHBOARD, HOME = "dashboard", "home"
# A claim older than this belongs to a worker that died while folding: another may take the snapshot over.
CLAIM_SECONDS = 600
# A snapshot nobody has looked at for this long is no longer refreshed (until somebody looks again).
WANTED_FOR = dt.timedelta(hours=1)
# How often a page re-marks a fresh snapshot as wanted, so that the worker keeps what people look at fresh.
REMARK_AFTER = dt.timedelta(minutes=10)

Computation = Callable[[Session, str, int], engine.IndicatorTable]

# What the pages show: the home page's key figures; the dashboard's ranked, action and coverage panels and trend.
KEY_FIGURES = ("registered_households", "remaining_poor_households", "remaining_poor_people", "poverty_incidence",
               "exited_households_year", "eligible_not_exited", "pairing_coverage", "visit_recency_rate",
               "employment_rate", "transfer_rate", "relocation_moved_in_rate")
RANKED = ("poverty_incidence", "remaining_poor_households", "pairing_coverage", "eligible_not_exited")
ACTION = ("eligible_not_exited", "remaining_poor_households", "monitored_unstable", "requests_done_on_time")
COVERAGE = ("org_village_branch", "org_village_cooperative", "org_site_org", "org_floating_member_managed",
            "pairing_coverage")
DASHBOARD_CODES = tuple(sorted(set(KEY_FIGURES) | set(RANKED) | set(ACTION) | set(COVERAGE)))
TREND_YEARS = 5


# ---------------------------------------------------------------- what a snapshot holds


def _value_json(value: engine.Value) -> dict[str, Any]:
    number = value.value
    return {"i": value.indicator, "v": str(number) if isinstance(number, Decimal) else number,
            "d": isinstance(number, Decimal), "n": value.numerator, "m": value.denominator, "note": value.note,
            "o": value.opens, "s": value.scale}


def _value_of(data: dict[str, Any]) -> engine.Value:
    number = Decimal(data["v"]) if data["d"] and data["v"] is not None else data["v"]
    return engine.Value(data["i"], number, data["n"], data["m"], data["note"], data["o"], data["s"])


def _trend_json(values: list[Decimal | int | None]) -> list[Any]:
    return [[str(v), True] if isinstance(v, Decimal) else [v, False] for v in values]


def table_as_json(table: engine.IndicatorTable) -> str:
    """The table as JSON, exactly: rates keep their decimal digits, counts stay integers."""
    return json.dumps({
        "area": table.area_code, "year": table.year, "day": table.day.isoformat(),
        "indicators": [indicator.code for indicator in table.indicators],
        "rows": [{"code": row.code, "name": row.name, "level": row.level.value,
                  "values": [_value_json(v) for v in row.values.values()]} for row in table.rows],
        "trend": None if table.trend is None else {code: _trend_json(values) for code, values in table.trend.items()},
    }, ensure_ascii=False, separators=(",", ":"))


def table_of_json(text: str) -> engine.IndicatorTable | None:
    """The table back; None when the catalogue no longer has one of its indicators (recompute it)."""
    data = json.loads(text)
    if any(code not in BY_CODE for code in data["indicators"]):
        return None
    rows = [engine.AreaFigures(row["code"], row["name"], AreaLevel(row["level"]),
                               {v["i"]: _value_of(v) for v in row["values"]}) for row in data["rows"]]
    trend = None if data["trend"] is None else {
        code: [Decimal(v) if is_decimal and v is not None else v for v, is_decimal in values]
        for code, values in data["trend"].items()}
    return engine.IndicatorTable(data["area"], data["year"], dt.date.fromisoformat(data["day"]),
                                 [BY_CODE[code] for code in data["indicators"]], rows, trend)


# ---------------------------------------------------------------- the computations


def _dashboard(session: Session, area: str, year: int) -> engine.IndicatorTable:
    level = level_of(area)
    below = engine.LEVEL_ORDER[engine.LEVEL_ORDER.index(level) + 1] if level != AreaLevel.village else level
    return engine.compute(session, Scope.everything(), area, year, below, DASHBOARD_CODES,
                          trend_years=range(year - TREND_YEARS + 1, year + 1))


def _home(session: Session, area: str, year: int) -> engine.IndicatorTable:
    return engine.compute(session, Scope.everything(), area, year, level_of(area), KEY_FIGURES)


COMPUTATIONS: dict[str, Computation] = {DASHBOARD: _dashboard, HOME: _home}


# ---------------------------------------------------------------- reading (the pages)


def _is(key: tuple[str, str, int]) -> tuple[Any, ...]:
    return FigureSnapshot.kind == key[0], FigureSnapshot.area_code == key[1], FigureSnapshot.year == key[2]


_parsed: dict[tuple[str, str, int], tuple[dt.datetime, engine.IndicatorTable]] = {}
_parsed_guard = threading.Lock()


def max_age() -> dt.timedelta:
    settings = get_settings()
    return dt.timedelta(seconds=settings.figure_snapshot_max_age or max(900.0, 10 * settings.figure_cache_seconds))


def read(session: Session, kind: str, area: str, year: int) -> tuple[engine.IndicatorTable, dt.datetime]:
    """The figures of `kind` for `area` and `year` and when they were computed. The caller has checked that its
    user may see `area`. Computes (and stores) only what no worker has computed yet."""
    seconds = get_settings().figure_cache_seconds
    if seconds <= 0:
        return COMPUTATIONS[kind](session, area, year), utcnow()
    key = (kind, area, year)
    row = session.execute(select(FigureSnapshot.computed_at, FigureSnapshot.wanted_at).where(*_is(key))).first()
    now = utcnow()
    if row is not None and now - row.computed_at <= max_age():
        table = _parsed_table(session, key, row.computed_at)
        if table is not None:
            stale = (now - row.computed_at).total_seconds() > seconds
            if (stale and row.wanted_at <= row.computed_at) or now - row.wanted_at > REMARK_AFTER:
                _mark_wanted(session, key, now)
            return table, row.computed_at
    # Never computed (or no worker keeps it): this process computes it once, for everybody.
    table, computed_ts = FIGURES.get(("indicators.snapshot", *key), lambda: _compute_and_store(session, key),
                                     seconds)
    return table, dt.datetime.fromtimestamp(computed_ts, dt.UTC)


def _parsed_table(session: Session, key: tuple[str, str, int],
                  computed_at: dt.datetime) -> engine.IndicatorTable | None:
    with _parsed_guard:
        memo = _parsed.get(key)
    if memo is not None and memo[0] == computed_at:
        return memo[1]
    payload = session.execute(select(FigureSnapshot.payload, FigureSnapshot.computed_at).where(*_is(key))).first()
    if payload is None:
        return None
    table = table_of_json(payload.payload)
    if table is not None:
        with _parsed_guard:
            _parsed[key] = (payload.computed_at, table)
    return table


def _mark_wanted(session: Session, key: tuple[str, str, int], now: dt.datetime) -> None:
    """Tell the worker that somebody looks at this snapshot. Best effort: a page never waits long for it."""
    try:
        session.commit()  # the read ends here; a short write of its own follows
        begin_write(session)
        session.execute(update(FigureSnapshot).where(*_is(key)).values(wanted_at=now))
        session.commit()
    except OperationalError as error:  # SQLite busy under a long import: the next reader marks it
        session.rollback()
        log.info("figure snapshot %s not marked wanted: %s", key, error)


def _compute_and_store(session: Session, key: tuple[str, str, int]) -> engine.IndicatorTable:
    # The web processes take turns (PostgreSQL): the second one finds the first one's figures instead of folding
    # the same county again.
    take_turns(session, f"figure_snapshot:{key}")
    row = session.execute(select(FigureSnapshot.computed_at).where(*_is(key))).first()
    if row is not None and utcnow() - row.computed_at <= max_age():
        table = _parsed_table(session, key, row.computed_at)
        if table is not None:
            return table
    table = COMPUTATIONS[key[0]](session, key[1], key[2])
    try:
        if session.get_bind().dialect.name != "postgresql":
            session.commit()
            begin_write(session)  # SQLite: the read ends, a short writing transaction follows
        _store(session, key, table, utcnow())
        session.commit()  # PostgreSQL: the turn ends with the figures stored
    except (IntegrityError, OperationalError) as error:  # another process stored it first, or SQLite is busy
        session.rollback()
        log.info("figure snapshot %s not stored by this request: %s", key, error)
    return table


def _store(session: Session, key: tuple[str, str, int], table: engine.IndicatorTable, now: dt.datetime) -> None:
    values = {"payload": table_as_json(table), "computed_at": now, "refreshing_since": None}
    changed = session.execute(update(FigureSnapshot).where(*_is(key)).values(**values))
    if changed.rowcount == 0:
        session.add(FigureSnapshot(kind=key[0], area_code=key[1], year=key[2], wanted_at=now, **values))
        session.flush()


# ---------------------------------------------------------------- refreshing (the worker)


def refresh_next(db: Database) -> bool:
    """Refresh the oldest snapshot that somebody wants and that is older than `figure_cache_seconds`; False when
    none is due. Run by the job worker between jobs (`background_tasks` of the indicators capability)."""
    seconds = get_settings().figure_cache_seconds
    if seconds <= 0:
        return False
    now = utcnow()
    due = and_(FigureSnapshot.computed_at < now - dt.timedelta(seconds=seconds),
               FigureSnapshot.wanted_at > now - WANTED_FOR,
               or_(FigureSnapshot.refreshing_since.is_(None),
                   FigureSnapshot.refreshing_since < now - dt.timedelta(seconds=CLAIM_SECONDS)))
    with db.session_factory() as session:
        candidate = session.execute(select(FigureSnapshot.kind, FigureSnapshot.area_code, FigureSnapshot.year)
                                    .where(due).order_by(FigureSnapshot.computed_at).limit(1)).first()
        session.rollback()
        if candidate is None:
            return False  # the usual answer: a read, no write lock taken
        key = (candidate.kind, candidate.area_code, candidate.year)
        begin_write(session)
        claimed = session.execute(update(FigureSnapshot).where(*_is(key), due).values(refreshing_since=now)).rowcount
        session.commit()
        if not claimed:
            return True  # another worker took it; look again
        try:
            table = COMPUTATIONS[key[0]](session, key[1], key[2])
            session.rollback()  # end the long read before the short write
            begin_write(session)
            _store(session, key, table, utcnow())
            session.commit()
        except Exception:
            session.rollback()
            begin_write(session)
            session.execute(update(FigureSnapshot).where(*_is(key)).values(refreshing_since=None))
            session.commit()
            raise
    return True


def forget(db: Database) -> None:
    """Drop every snapshot (tests; an operator after correcting figures in bulk)."""
    with db.session_factory() as session:
        begin_write(session)
        session.query(FigureSnapshot).delete()
        session.commit()
    with _parsed_guard:
        _parsed.clear()
