import datetime as dt

import pytest
from sqlalchemy import select

from fupin.core.audit import Actor, AuditEntry
from fupin.core.errors import Conflict, Invalid, NotFound
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.indicators import area_exit
from fupin.indicators.models import AreaExit
from tests.factories import add_areas
from tests.factories_indicators import YEAR, household, population

ADMIN = Actor.system("test")
COUNTY, V1, V2 = "530326000000", "530326100200", "530326100201"
DAY = dt.date(2019, 12, 1)


def test_village_exit_workflow_and_county_needs_the_survey(db):
    add_areas(db)
    household(db, V1, members=2)  # 2 poor of 100: 2% < 3% (western)
    household(db, V2, members=5)  # 5 of 100: fails
    population(db, V1, 100)
    population(db, V2, 100)
    population(db, "530326101200", 500)  # the county: 7 of 700 = 1%
    with UnitOfWork(db, ADMIN) as uow:
        for step in ("proposal", "checks", "publicity", "approval"):
            record = area_exit.record_step(uow, V1, YEAR, step, DAY)
        assert record.status == "exited" and record.passed
    with pytest.raises(Conflict, match="贫困发生率5.00%"), UnitOfWork(db, ADMIN) as uow:
        for step in ("proposal", "checks", "publicity", "approval"):
            area_exit.record_step(uow, V2, YEAR, step, DAY)
    with db.session_factory() as session:
        assert session.scalar(select(AreaExit).where(AreaExit.area_code == V2)) is None, "nothing half-written"
    with pytest.raises(Conflict, match="应先完成"), UnitOfWork(db, ADMIN) as uow:
        area_exit.record_step(uow, V2, YEAR, "checks", DAY)
    with db.session_factory() as session:
        county = area_exit.evaluate(session, Scope.everything(), COUNTY, YEAR)
        assert not county.passed and county.reasons == ["缺少抽样调查记录(错退率、漏评率、群众认可度)"]
    with UnitOfWork(db, ADMIN) as uow:
        area_exit.record_survey(uow, COUNTY, YEAR, sampled_exited=100, wrong_exits=0, sampled_households=100,
                                missed_registrations=1, approval_asked=50, approval_yes=49, surveyed_on=DAY,
                                surveyor="第三方评估组")
    with db.session_factory() as session:
        assert area_exit.evaluate(session, Scope.everything(), COUNTY, YEAR).passed
        audits = session.scalars(select(AuditEntry.entity).where(AuditEntry.entity.like("area_exit%"))).all()
        assert audits.count("area_exit") == 4 and "area_exit_survey" in audits


def test_bad_input_and_scope(db):
    add_areas(db)
    with pytest.raises(Invalid), UnitOfWork(db, ADMIN) as uow:
        area_exit.record_step(uow, "530326100000", YEAR, "proposal", DAY)
    with pytest.raises(Invalid), UnitOfWork(db, ADMIN) as uow:
        area_exit.record_survey(uow, COUNTY, YEAR, sampled_exited=1, wrong_exits=2, sampled_households=1,
                                missed_registrations=0, approval_asked=1, approval_yes=1, surveyed_on=DAY, surveyor="x")
    village = Actor(user_id=None, name="v", role="village", scope_prefix=V2)
    with pytest.raises(NotFound), UnitOfWork(db, village) as uow:
        area_exit.record_step(uow, V1, YEAR, "proposal", DAY)




def test_step_and_survey_dates_are_checked_by_the_service(db):
    add_areas(db)
    household(db, V1, members=2)
    population(db, V1, 100)
    with pytest.raises(Invalid, match="晚于今天") as refused, UnitOfWork(db, ADMIN) as uow:
        area_exit.record_step(uow, V1, YEAR, "proposal", DAY + dt.timedelta(days=1), today=DAY)
    assert refused.value.field == "happened_on"
    with UnitOfWork(db, ADMIN) as uow:
        area_exit.record_step(uow, V1, YEAR, "proposal", DAY, today=DAY)
    with pytest.raises(Invalid, match="不能早于上一步“.*”的日期2019-12-01"), UnitOfWork(db, ADMIN) as uow:
        area_exit.record_step(uow, V1, YEAR, "checks", DAY - dt.timedelta(days=1), today=DAY)
    with UnitOfWork(db, ADMIN) as uow:
        assert area_exit.record_step(uow, V1, YEAR, "checks", DAY, today=DAY).status != "proposed"
    with pytest.raises(Invalid, match="晚于今天"), UnitOfWork(db, ADMIN) as uow:
        area_exit.record_survey(uow, COUNTY, YEAR, sampled_exited=1, wrong_exits=0, sampled_households=1,
                                missed_registrations=0, approval_asked=1, approval_yes=1,
                                surveyed_on=DAY + dt.timedelta(days=3), surveyor="评估组", today=DAY)
