import datetime as dt

import pytest
from sqlalchemy import func, select

from fupin.core.audit import Actor, AuditEntry
from fupin.core.errors import Conflict, Forbidden, Invalid, NotFound
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.indicators import queries, service
from fupin.indicators.models import AreaExit, AreaExitStep, AreaExitSurvey
from tests.factories import add_areas
from tests.factories_indicators import YEAR, household, population

ADMIN = Actor.system("test")
COUNTY, TOWNSHIP, V1, V2 = "530326000000", "530326100000", "530326100200", "530326100201"
DAY = dt.date(2019, 12, 1)
SURVEY = {"sampled_exited": 100, "wrong_exits": 0, "sampled_households": 100, "missed_registrations": 1,
          "approval_asked": 50, "approval_yes": 49, "surveyed_on": DAY, "surveyor": "第三方评估组"}


def _uow(db, role: str, area: str) -> UnitOfWork:
    return UnitOfWork(db, Actor(user_id=None, name=role, role=role, scope_prefix=Scope.of_area(area).prefix))


def _county(db) -> None:
    """北坎村 2 poor of 100 (2 % < 3 %, western: passes), 石坝村 5 of 100 (fails), the county 7 of 700 = 1 %."""
    add_areas(db)
    household(db, V1, members=2)
    household(db, V2, members=5)
    population(db, V1, 100)
    population(db, V2, 100)
    population(db, "530326101200", 500)


def _written(db) -> tuple[int, int, int, int]:
    with db.session_factory() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))  # type: ignore[return-value]
                     for model in (AreaExit, AreaExitStep, AreaExitSurvey, AuditEntry))


def test_village_exit_workflow_and_county_needs_the_survey(db):
    _county(db)
    for step in ("proposal", "checks", "publicity", "approval"):
        record = service.record_exit_step(UnitOfWork(db, ADMIN), V1, YEAR, step, DAY)
    assert record.status == "exited" and record.passed
    with pytest.raises(Conflict) as refused, UnitOfWork(db, ADMIN) as uow:
        for step in ("proposal", "checks", "publicity", "approval"):
            service.record_exit_step(uow, V2, YEAR, step, DAY)
    assert refused.value.code == "indicators.exit_not_passed" and "贫困发生率5.00%" in refused.value.message
    with db.session_factory() as session:
        assert session.scalar(select(AreaExit).where(AreaExit.area_code == V2)) is None, "nothing half-written"
    with pytest.raises(Conflict) as refused:
        service.record_exit_step(UnitOfWork(db, ADMIN), V2, YEAR, "checks", DAY)
    assert refused.value.code == "indicators.step_out_of_order"
    with pytest.raises(Conflict) as refused:
        service.record_exit_step(UnitOfWork(db, ADMIN), V1, YEAR, "approval", DAY)
    assert refused.value.code == "indicators.exit_completed"
    with db.session_factory() as session:
        county = queries.evaluate_exit(session, Scope.everything(), COUNTY, YEAR)
        assert not county.passed and county.reasons == ["缺少抽样调查记录(错退率、漏评率、群众认可度)"]
    service.record_exit_survey(UnitOfWork(db, ADMIN), COUNTY, YEAR, **SURVEY)
    with pytest.raises(Conflict) as refused:
        service.record_exit_survey(UnitOfWork(db, ADMIN), COUNTY, YEAR, **SURVEY)
    assert refused.value.code == "indicators.survey_exists"
    with db.session_factory() as session:
        assert queries.evaluate_exit(session, Scope.everything(), COUNTY, YEAR).passed
        audits = session.scalars(select(AuditEntry.entity).where(AuditEntry.entity.like("area_exit%"))).all()
        assert audits.count("area_exit") == 4 and "area_exit_survey" in audits


def test_a_step_recorded_again_is_a_conflict_not_an_order_error(db):
    _county(db)
    service.record_exit_step(UnitOfWork(db, ADMIN), V1, YEAR, "proposal", DAY)
    service.record_exit_step(UnitOfWork(db, ADMIN), V1, YEAR, "checks", DAY)
    for step in ("proposal", "checks"):
        with pytest.raises(Conflict) as refused:
            service.record_exit_step(UnitOfWork(db, ADMIN), V1, YEAR, step, DAY)
        assert refused.value.code == "indicators.step_recorded"


def test_bad_input_and_scope(db):
    add_areas(db)
    cases = [
        (lambda: service.record_exit_step(UnitOfWork(db, ADMIN), TOWNSHIP, YEAR, "proposal", DAY),
         "indicators.exit_level"),
        (lambda: service.record_exit_step(UnitOfWork(db, ADMIN), V1, YEAR, "party", DAY), "indicators.unknown_step"),
        (lambda: service.record_exit_survey(UnitOfWork(db, ADMIN), COUNTY, YEAR, **(SURVEY | {"wrong_exits": 101})),
         "indicators.survey_part_exceeds"),
        (lambda: service.record_exit_survey(UnitOfWork(db, ADMIN), V1, YEAR, **SURVEY), "indicators.survey_county_only"),
        (lambda: service.record_exit_survey(UnitOfWork(db, ADMIN), COUNTY, YEAR, **(SURVEY | {"surveyor": " "})),
         "indicators.surveyor_required"),
    ]
    for call, code in cases:
        with pytest.raises(Invalid) as refused:
            call()
        assert refused.value.code == code
    township = _uow(db, "township", "530326101")
    with pytest.raises(NotFound):
        service.record_exit_step(township, V1, YEAR, "proposal", DAY)
    assert _written(db)[:3] == (0, 0, 0)


def test_steps_belong_to_levels_and_a_countys_exit_is_decided_above_it(db):
    """The township proposes a village's exit, the county checks, publicises and approves it; the county proposes
    its own exit, and only a county-role user above the county (city, province) records the rest and the survey."""
    _county(db)
    township, county = _uow(db, "township", TOWNSHIP), _uow(db, "county", COUNTY)
    province = Actor(user_id=None, name="省扶贫办", role="county", scope_prefix="53")
    village = _uow(db, "village", V1)
    with pytest.raises(Forbidden) as refused:
        service.record_exit_step(village, V1, YEAR, "proposal", DAY)
    assert refused.value.code == "core.forbidden_action"
    service.record_exit_step(township, V1, YEAR, "proposal", DAY)
    before = _written(db)
    with pytest.raises(Forbidden) as refused:
        service.record_exit_step(_uow(db, "township", TOWNSHIP), V1, YEAR, "checks", DAY)
    assert refused.value.code == "core.forbidden_action" and _written(db) == before
    for step in ("checks", "publicity", "approval"):
        service.record_exit_step(_uow(db, "county", COUNTY), V1, YEAR, step, DAY)

    with pytest.raises(NotFound):  # a township's scope never holds its county
        service.record_exit_step(_uow(db, "township", TOWNSHIP), COUNTY, YEAR, "proposal", DAY)
    service.record_exit_step(county, COUNTY, YEAR, "proposal", DAY)
    before = _written(db)
    with pytest.raises(Forbidden) as refused:
        service.record_exit_step(_uow(db, "county", COUNTY), COUNTY, YEAR, "checks", DAY)
    assert refused.value.code == "indicators.county_exit_decided_above"
    with pytest.raises(Forbidden) as refused:
        service.record_exit_survey(_uow(db, "county", COUNTY), COUNTY, YEAR, **SURVEY)
    assert refused.value.code == "indicators.county_exit_decided_above"
    assert _written(db) == before, "nothing written on deny"
    service.record_exit_survey(UnitOfWork(db, province), COUNTY, YEAR, **SURVEY)
    for step in ("checks", "publicity", "approval"):
        record = service.record_exit_step(UnitOfWork(db, province), COUNTY, YEAR, step, DAY)
    assert record.status == "exited"
    other_province = Actor(user_id=None, name="贵州", role="county", scope_prefix="52")
    with pytest.raises(NotFound):
        service.record_exit_step(UnitOfWork(db, other_province), V2, YEAR, "proposal", DAY)


def test_step_and_survey_dates_are_checked_by_the_service(db):
    add_areas(db)
    household(db, V1, members=2)
    population(db, V1, 100)
    with pytest.raises(Invalid) as refused:
        service.record_exit_step(UnitOfWork(db, ADMIN), V1, YEAR, "proposal", DAY + dt.timedelta(days=1), today=DAY)
    assert (refused.value.code, refused.value.field) == ("indicators.date_in_future", "happened_on")
    service.record_exit_step(UnitOfWork(db, ADMIN), V1, YEAR, "proposal", DAY, today=DAY)
    with pytest.raises(Invalid) as refused:
        service.record_exit_step(UnitOfWork(db, ADMIN), V1, YEAR, "checks", DAY - dt.timedelta(days=1), today=DAY)
    assert refused.value.code == "indicators.date_before_previous_step"
    assert refused.value.message == "日期不能早于上一步“提出退出”的日期2019-12-01"
    assert service.record_exit_step(UnitOfWork(db, ADMIN), V1, YEAR, "checks", DAY, today=DAY).status == "checked"
    with pytest.raises(Invalid) as refused:
        service.record_exit_survey(UnitOfWork(db, ADMIN), COUNTY, YEAR, **(SURVEY | {
            "surveyed_on": DAY + dt.timedelta(days=3)}), today=DAY)
    assert refused.value.code == "indicators.date_in_future"
