"""Issue 18: `monitoring.start_monitoring_many` (a national export's 监测户, opened in one write) keeps the rules of
`start_monitoring`: a household outside the scope, still poor or already monitored is left alone; one audit row."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from fupin.core.audit import Actor, AuditEntry
from fupin.core.errors import Forbidden, Invalid
from fupin.core.uow import UnitOfWork
from fupin.monitoring import service
from fupin.monitoring.models import MonitoredHousehold
from tests.factories import add_areas
from tests.factories_monitoring import TODAY, exited_household
from tests.factories_registry import add_household

VILLAGE_A = Actor(user_id=None, name="北坎村", role="village", scope_prefix="530326100200")


def test_start_many_opens_each_once_and_leaves_the_rest(db):
    add_areas(db)
    a, b = exited_household(db), exited_household(db)
    poor = add_household(db)
    elsewhere = exited_household(db, "530326100201")
    starts = [(a, "unstable", ["因病"], dt.date(2023, 3, 1)), (b, "marginal", ["disaster", "因学"], dt.date(2023, 4, 1)),
              (poor, "sudden", ["因灾"], dt.date(2023, 5, 1)), (elsewhere, "sudden", ["因灾"], dt.date(2023, 5, 1))]
    opened = service.start_monitoring_many(UnitOfWork(db, VILLAGE_A), starts, channel="department_alert", note="导入",
                                           today=TODAY)
    assert opened == 2
    with db.session_factory() as s:
        records = {r.household_id: r for r in s.scalars(select(MonitoredHousehold))}
        assert sorted(records) == sorted([a, b])
        assert (records[b].monitor_type, records[b].risk_types, records[b].status) == ("marginal", "disaster,schooling",
                                                                                      "identifying")
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.entity == "monitored_households")) == 1
    again = service.start_monitoring_many(UnitOfWork(db, VILLAGE_A), starts, channel="department_alert", today=TODAY)
    assert again == 0


def test_start_many_refuses_what_start_refuses(db):
    add_areas(db)
    a = exited_household(db)
    with pytest.raises(Invalid) as bad_risk:
        service.start_monitoring_many(UnitOfWork(db, VILLAGE_A), [(a, "unstable", ["因懒"], TODAY)],
                                      channel="department_alert", today=TODAY)
    assert bad_risk.value.code == "monitoring.unknown_risk"
    with pytest.raises(Invalid) as future:
        service.start_monitoring_many(UnitOfWork(db, VILLAGE_A), [(a, "unstable", ["因病"], TODAY + dt.timedelta(1))],
                                      channel="department_alert", today=TODAY)
    assert future.value.code == "monitoring.clue_in_future"
    clerk = Actor(user_id=None, name="文员", role="auditor", scope_prefix="530326")
    with pytest.raises(Forbidden):
        service.start_monitoring_many(UnitOfWork(db, clerk), [(a, "unstable", ["因病"], TODAY)],
                                      channel="department_alert", today=TODAY)
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(MonitoredHousehold)) == 0
