"""Every exactly-once use case of monitoring, raced through a served fupin on both databases: 20 requests released
at one instant → exactly one success, the other 19 answer 409, nothing is written twice."""

import datetime as dt
from decimal import Decimal

import httpx
from sqlalchemy import func, select

from fupin.core.uow import UnitOfWork
from fupin.monitoring import service
from fupin.monitoring.models import MonitoredHousehold, MonitoringStep
from fupin.monitoring.schemas import MeasureForm
from fupin.registry.models import Household, HouseholdEvent
from tests.factories import PASSWORD, add_areas, add_user
from tests.factories_monitoring import actor, check, exited_household, healthy_pair, income
from tests.served import api_token, race, statuses

RACERS = 20
VILLAGE, TOWNSHIP = "530326100200", "530326100000"


def _count(db, model, *where) -> int:
    with db.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def _once(answers: list[httpx.Response], success: int) -> None:
    assert statuses(answers) == [success] + [409] * (RACERS - 1), [a.text for a in answers if a.status_code != 409]
    assert all(a.json()["error"].endswith(("already_monitored", "step_recorded", "procedure_done", "already_cleared",
                                           "concurrent_write"))
               for a in answers if a.status_code == 409), [a.json() for a in answers]


def _clearable(db) -> int:
    """A record identified in 2023 with two years of income above the threshold, a check and a measure."""
    household = exited_household(db, members=healthy_pair())
    record = service.start_monitoring(UnitOfWork(db, actor()), household, monitor_type="unstable",
                                      risk_types=["illness"], channel="self_report", clue_on=dt.date(2023, 1, 2))
    for step, day in (("verification", 3), ("democratic_appraisal", 4), ("publicity", 5), ("approval", 12)):
        service.record_step(UnitOfWork(db, actor()), record.id, step, dt.date(2023, 1, day))
    income(db, household, 2022, 9000)
    income(db, household, 2023, 9000)
    check(db, household, 2023)
    service.add_measure(UnitOfWork(db, actor()), record.id,
                        MeasureForm(measure_type="health", delivered_on=dt.date(2023, 2, 1), amount=Decimal("500")))
    return record.id


def test_start_each_step_and_clearing_happen_exactly_once(db, served):
    add_areas(db)
    add_user(db, "village_a", "village", VILLAGE)
    add_user(db, "township_a", "township", TOWNSHIP)
    household = exited_household(db, members=healthy_pair())
    clearable = _clearable(db)
    today = dt.date.today()
    base = served(db)
    village, township = api_token(base, "village_a", PASSWORD), api_token(base, "township_a", PASSWORD)

    started = race(RACERS, lambda: httpx.post(f"{base}/api/v1/monitoring/households", headers=village, timeout=60, json={
        "household_id": household, "monitor_type": "sudden", "risk_types": ["disaster"], "channel": "cadre_check",
        "clue_on": (today - dt.timedelta(days=10)).isoformat()}))
    _once(started, 201)
    assert _count(db, MonitoredHousehold, MonitoredHousehold.household_id == household) == 1
    record = next(a for a in started if a.status_code == 201).json()["id"]

    for step, days_ago, who in (("verification", 9, village), ("democratic_appraisal", 8, village),
                                ("publicity", 7, village), ("approval", 0, township)):
        answers = race(RACERS, lambda step=step, days_ago=days_ago, who=who: httpx.post(
            f"{base}/api/v1/monitoring/households/{record}/steps", headers=who, timeout=60,
            json={"step": step, "happened_on": (today - dt.timedelta(days=days_ago)).isoformat()}))
        _once(answers, 201)
        assert _count(db, MonitoringStep, MonitoringStep.monitored_id == record, MonitoringStep.step == step) == 1
    assert _count(db, MonitoringStep, MonitoringStep.monitored_id == record) == 4
    with db.session_factory() as session:
        assert session.get(Household, household).status == "monitored"
        assert session.get(MonitoredHousehold, record).status == "monitored"
    assert _count(db, HouseholdEvent, HouseholdEvent.household_id == household,
                  HouseholdEvent.to_status == "monitored") == 1, "the registry moved once"

    cleared = race(RACERS, lambda: httpx.post(f"{base}/api/v1/monitoring/households/{clearable}/clear",
                                              headers=township, timeout=60,
                                              json={"cleared_on": today.isoformat()}))
    _once(cleared, 200)
    with db.session_factory() as session:
        row = session.get(MonitoredHousehold, clearable)
        assert (row.status, row.cleared_on) == ("cleared", today)
        assert _count(db, HouseholdEvent, HouseholdEvent.household_id == row.household_id,
                      HouseholdEvent.to_status == "exited", HouseholdEvent.happened_on == today) == 1
