"""Monitoring over the registry on both databases: each early-warning rule flags a planted household and leaves a
clean one alone; the procedure; risk clearing refuses each failing condition with its reason."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from fupin.core.audit import Actor
from fupin.core.errors import Conflict, Forbidden, Invalid, NotFound
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.employment import service as employment_service
from fupin.monitoring import queries, service
from fupin.registry import schemas
from fupin.registry.models import Household, HouseholdEvent, Person
from tests.factories import add_areas
from tests.factories_monitoring import TODAY, actor, check, exited_household, healthy_pair, income, visit
from tests.factories_registry import add_household, member

D = dt.date


def _proposals(db, **kw):
    with db.session_factory() as session:
        return {p.household_id: p for p in queries.warnings(session, Scope.of_area("530326"), as_of=TODAY, **kw)}


def _clean(db) -> int:
    """A household no rule should flag: income well above, healthy, housing safe, no disaster."""
    household = exited_household(db, members=healthy_pair())
    income(db, household, 2023, 9000)
    check(db, household, 2023)
    visit(db, household, D(2024, 5, 1), "家中一切正常,种植烤烟")
    return household


def test_low_income_rule(db):
    add_areas(db)
    clean = _clean(db)
    planted = exited_household(db, members=healthy_pair())
    income(db, planted, 2023, 5500)
    found = _proposals(db)
    assert set(found[planted].reasons) == {"low_income"}
    assert "低于监测预警线6000.00元" in found[planted].reasons["low_income"]
    assert clean not in found
    # The factor widens the net: 9000 < 6000 × 1.6.
    assert "low_income" in _proposals(db, factor=Decimal("1.6"))[clean].reasons


def test_illness_and_disability_rule(db):
    add_areas(db)
    clean = _clean(db)
    ill = exited_household(db, members=[member("钱大病", "head", D(1970, 1, 1), health="serious"),
                                        member("孙秀", "spouse", D(1972, 1, 1), "F")])
    disabled = exited_household(db, members=[member("周残", "head", D(1970, 1, 1), health="disabled",
                                                    disability_grade=2)])
    for household in (ill, disabled):
        income(db, household, 2023, 9000)
    found = _proposals(db)
    assert found[ill].reasons == {"illness_disability": "家庭成员1人患大病"}
    assert found[disabled].reasons == {"illness_disability": "家庭成员1人残疾"}
    assert clean not in found


def test_job_ended_rule(db):
    add_areas(db)
    clean = _clean(db)
    planted = exited_household(db, members=healthy_pair())
    income(db, planted, 2023, 9000)
    with db.session_factory() as session:
        heads = {h: session.scalar(select(Person.id).where(Person.household_id == h, Person.relation == "head"))
                 for h in (clean, planted)}
    with UnitOfWork(db, actor()) as uow:
        for household, person in heads.items():
            worker = employment_service.register_worker(uow, person, today=TODAY)
            placement = employment_service.add_placement(uow, worker.id, source="labour_export",
                                                         work_place="out_province", destination="浙江省宁波市",
                                                         started_on=D(2023, 3, 1))
            if household == planted:
                employment_service.end_placement(uow, placement.id, D(2023, 11, 30))
    found = _proposals(db)
    assert found[planted].reasons == {"job_ended": "2023年有1人务工就业,2024年无人就业"}
    assert clean not in found


def test_disaster_rule(db):
    add_areas(db)
    clean = _clean(db)
    planted = exited_household(db, members=healthy_pair())
    income(db, planted, 2023, 9000)
    visit(db, planted, D(2024, 5, 20), "5月暴雨,山体滑坡冲毁部分农田")
    old = exited_household(db, members=healthy_pair())
    income(db, old, 2023, 9000)
    visit(db, old, D(2023, 5, 20), "去年遭受冰雹灾害")  # older than the 180 days looked at
    found = _proposals(db)
    assert set(found[planted].reasons) == {"disaster"}
    assert clean not in found and old not in found


def test_housing_rule_looks_at_the_latest_check_only(db):
    add_areas(db)
    clean = _clean(db)
    planted = exited_household(db, members=healthy_pair())
    income(db, planted, 2023, 9000)
    check(db, planted, 2023, housing_ok=False)
    repaired = exited_household(db, members=healthy_pair())
    income(db, repaired, 2023, 9000)
    check(db, repaired, 2022, housing_ok=False)
    check(db, repaired, 2023, housing_ok=True)
    found = _proposals(db)
    assert found[planted].reasons == {"housing_unsafe": "2023年核查住房不安全"}
    assert clean not in found and repaired not in found


def test_warnings_skip_poor_households_open_records_and_other_scopes(db):
    add_areas(db)
    poor = add_household(db)  # identified: helped as a poor household, not monitored
    income(db, poor, 2023, 3000)
    elsewhere = exited_household(db, area_code="530321100200", members=healthy_pair())
    income(db, elsewhere, 2023, 3000)
    taken = exited_household(db, members=healthy_pair())
    income(db, taken, 2023, 3000)
    with UnitOfWork(db, actor()) as uow:
        service.start_monitoring(uow, taken, monitor_type="unstable", risk_types=["因病"], channel="cadre_check",
                                 clue_on=D(2024, 5, 1), today=TODAY)
    assert _proposals(db) == {}


def _identified(db, household: int, clue=D(2023, 1, 2), approved=D(2023, 1, 12)) -> int:
    with UnitOfWork(db, actor()) as uow:
        record = service.start_monitoring(uow, household, monitor_type="unstable", risk_types=["illness", "因学"],
                                          channel="self_report", clue_on=clue, today=TODAY)
        for step, on in (("verification", clue + dt.timedelta(days=1)),
                         ("democratic_appraisal", clue + dt.timedelta(days=2)),
                         ("publicity", clue + dt.timedelta(days=3)), ("approval", approved)):
            service.record_step(uow, record.id, step, on, today=TODAY)
        return record.id


def test_procedure_moves_the_registry_household_to_monitored(db):
    add_areas(db)
    household = exited_household(db, members=healthy_pair())
    with UnitOfWork(db, actor()) as uow:
        record = service.start_monitoring(uow, household, monitor_type="sudden", risk_types=["因灾"],
                                          channel="department_alert", clue_on=D(2024, 5, 1), today=TODAY)
        record_id = record.id
        assert record.risk_types == "disaster"
    with pytest.raises(Invalid) as caught:
        service.record_step(UnitOfWork(db, actor()), record_id, "approval", D(2024, 5, 3), today=TODAY)
    assert caught.value.code == "monitoring.step_out_of_order" and "应先完成“入户核实”" in caught.value.message
    with UnitOfWork(db, actor()) as uow:
        service.record_step(uow, record_id, "verification", D(2024, 5, 2), today=TODAY)
        service.record_step(uow, record_id, "democratic_appraisal", D(2024, 5, 3), today=TODAY)
        service.record_step(uow, record_id, "publicity", D(2024, 5, 4), today=TODAY)
    with pytest.raises(Invalid) as caught:
        service.record_step(UnitOfWork(db, actor()), record_id, "approval", D(2024, 5, 8), today=TODAY)
    assert caught.value.code == "monitoring.publicity_too_short" and caught.value.field == "happened_on"
    with UnitOfWork(db, actor()) as uow:
        service.record_step(uow, record_id, "approval", D(2024, 5, 9), today=TODAY)
    with db.session_factory() as session:
        assert session.get(Household, household).status == "monitored"
        row = session.execute(queries.monitored_select(Scope.of_area("530326"))).one()
        assert (row.status, row.monitor_type, row.identified_on) == ("monitored", "sudden", D(2024, 5, 9))
        assert session.execute(queries.monitored_select(Scope.of_area("530321"))).all() == []
        assert session.scalar(select(HouseholdEvent.to_status).where(HouseholdEvent.household_id == household,
                                                                     HouseholdEvent.kind == "status")
                              .order_by(HouseholdEvent.id.desc())) == "monitored"
    with pytest.raises(Conflict) as caught:
        service.start_monitoring(UnitOfWork(db, actor()), household, monitor_type="sudden", risk_types=["因灾"],
                                 channel="cadre_check", clue_on=D(2024, 5, 20), today=TODAY)
    assert caught.value.code == "monitoring.already_monitored"
    with pytest.raises(Conflict) as caught:
        service.record_step(UnitOfWork(db, actor()), record_id, "approval", D(2024, 5, 10), today=TODAY)
    assert caught.value.code == "monitoring.procedure_done"


def test_start_refuses_bad_input_and_poor_households_and_other_scopes(db):
    add_areas(db)
    poor = add_household(db)
    household = exited_household(db, members=healthy_pair())
    cases = [
        (poor, {}, "monitoring.still_poor"),
        (household, {"monitor_type": "x"}, "monitoring.unknown_type"),
        (household, {"channel": "x"}, "monitoring.unknown_channel"),
        (household, {"risk_types": ["因懒"]}, "monitoring.unknown_risk"),
        (household, {"risk_types": []}, "monitoring.risk_required"),
        (household, {"clue_on": D(2024, 6, 2)}, "monitoring.clue_in_future"),
    ]
    for target, change, code in cases:
        args = {"monitor_type": "marginal", "risk_types": ["因病"], "channel": "cadre_check",
                "clue_on": D(2024, 5, 1), **change}
        with pytest.raises(Invalid) as caught:
            service.start_monitoring(UnitOfWork(db, actor()), target, today=TODAY, **args)
        assert caught.value.code == code
    county_actor = Actor(user_id=None, name="马龙", role="county", scope_prefix="530321")
    with UnitOfWork(db, county_actor) as uow, pytest.raises(NotFound):
        service.start_monitoring(uow, household, monitor_type="marginal", risk_types=["因病"], channel="cadre_check",
                                 clue_on=D(2024, 5, 1), today=TODAY)
    with db.session_factory() as session:
        assert session.execute(queries.monitored_select(Scope.everything())).all() == []


def test_risk_clearing_refuses_each_failing_condition_then_clears(db):
    add_areas(db)
    household = exited_household(db, members=healthy_pair())
    record_id = _identified(db, household)

    def refusal(on=D(2024, 5, 1)) -> str:
        with pytest.raises(Invalid) as caught:
            service.clear_risk(UnitOfWork(db, actor()), record_id, on, today=TODAY)
        assert caught.value.code == "monitoring.not_clearable"
        return caught.value.message

    message = refusal(D(2023, 5, 1))
    for reason in ("监测帮扶不满6个月", "收入记录不足2年", "缺少两不愁三保障及饮水安全核查记录", "认定以来未落实帮扶措施"):
        assert reason in message
    assert "无劳动力" not in message
    income(db, household, 2022, 5800)
    income(db, household, 2023, 8000)
    assert "2022年人均纯收入5800.00元,未稳定超过监测标准6000.00元" in refusal()
    income(db, household, 2022, 7000)
    check(db, household, 2023, water_litres_per_person_day=10)
    assert "2023年核查:饮水水量不足" in refusal()
    check(db, household, 2023)
    assert refusal() == "不能标注风险消除:认定以来未落实帮扶措施"
    with UnitOfWork(db, actor()) as uow:
        service.add_measure(uow, record_id, schemas.MeasureCreate(measure_type="health", delivered_on=D(2023, 2, 1),
                                                                  amount=Decimal("800")), today=TODAY)
    with UnitOfWork(db, actor()) as uow:
        record = service.clear_risk(uow, record_id, D(2024, 5, 1), today=TODAY)
        assert (record.status, record.cleared_on) == ("cleared", D(2024, 5, 1))
    with db.session_factory() as s:
        from fupin.registry.models import Household

        assert s.get(Household, household).status == "exited", "clearing ends monitoring in the registry too"
    with pytest.raises(Conflict) as caught:
        service.clear_risk(UnitOfWork(db, actor()), record_id, D(2024, 5, 2), today=TODAY)
    assert caught.value.code == "monitoring.already_cleared"


def test_households_without_labour_are_never_cleared(db):
    add_areas(db)
    household = exited_household(db, members=[member("吴老汉", "head", D(1940, 1, 1), labour_capacity="none")])
    record_id = _identified(db, household)
    income(db, household, 2022, 9000)
    income(db, household, 2023, 9000)
    check(db, household, 2023)
    with UnitOfWork(db, actor()) as uow:
        service.add_measure(uow, record_id, schemas.MeasureCreate(measure_type="minimum_allowance",
                                                                  delivered_on=D(2023, 3, 1)), today=TODAY)
    with pytest.raises(Invalid) as caught:
        service.clear_risk(UnitOfWork(db, actor()), record_id, D(2024, 5, 1), today=TODAY)
    assert caught.value.code == "monitoring.not_clearable"
    assert caught.value.params["reasons"] == "无劳动力户不标注风险消除,持续监测帮扶"


def test_threshold_set_and_used(db):
    service.set_threshold(UnitOfWork(db, actor()), 2024, "7000")
    for args, code in (((2024, "6500", "53"), "monitoring.threshold_below_national"),
                       ((2024, "-1"), "monitoring.threshold_amount"),
                       ((2024, "abc"), "monitoring.threshold_not_number"),
                       ((2020, "7000"), "monitoring.threshold_year"),
                       ((2024, "7000", "5x"), "monitoring.threshold_province")):
        with pytest.raises(Invalid) as caught:
            service.set_threshold(UnitOfWork(db, actor()), *args)
        assert caught.value.code == code
    with db.session_factory() as session:
        assert queries.threshold_for(session, 2021, "53") == Decimal("6000.00")
        assert queries.threshold_for(session, 2024, "53") == Decimal("7000.00")
        assert queries.threshold_for(session, 2025, "53") is None, "never 2024's value: 2025 is flagged instead"
        assert queries.missing_threshold_years(session, "53", 2025) == [2022, 2023, 2025]


def test_thresholds_are_set_from_a_scope_covering_the_country_or_the_province(db):
    province = Actor(user_id=None, name="云南", role="county", scope_prefix="53")
    county = Actor(user_id=None, name="会泽", role="county", scope_prefix="530326")
    service.set_threshold(UnitOfWork(db, province), 2024, "7200", "53")
    for who, province_code in ((province, "00"), (county, "53"), (county, "00"),
                               (Actor(user_id=None, name="贵州", role="county", scope_prefix="52"), "53")):
        with pytest.raises(Forbidden) as caught:
            service.set_threshold(UnitOfWork(db, who), 2024, "7300", province_code)
        assert caught.value.code == "monitoring.threshold_scope"
    with pytest.raises(Forbidden) as caught:
        service.set_threshold(UnitOfWork(db, Actor(user_id=None, name="村", role="village", scope_prefix="53")),
                              2024, "7300", "53")
    assert caught.value.code == "core.forbidden_action"
    with db.session_factory() as session:
        assert queries.thresholds(session)[(2024, "53")] == Decimal("7200.00")


def _counts(db) -> tuple[int, int, int]:
    from sqlalchemy import func

    from fupin.core.audit import AuditEntry
    from fupin.monitoring.models import MonitoredHousehold, MonitoringStep

    with db.session_factory() as session:
        return (session.scalar(select(func.count()).select_from(MonitoredHousehold)),
                session.scalar(select(func.count()).select_from(MonitoringStep)),
                session.scalar(select(func.count()).select_from(AuditEntry)))


def test_the_village_identifies_and_the_township_approves_and_clears(db):
    """The level split: verification, appraisal and publicity are the village's; approval and clearing the
    township's. A village user recording the township's approval gets 403 and nothing is written."""
    add_areas(db)
    household = exited_household(db, members=healthy_pair())
    village = Actor(user_id=None, name="村干部", role="village", scope_prefix="530326100200")
    township = Actor(user_id=None, name="乡镇干部", role="township", scope_prefix="530326100")
    record = service.start_monitoring(UnitOfWork(db, village), household, monitor_type="unstable",
                                      risk_types=["illness"], channel="cadre_check", clue_on=D(2024, 5, 1),
                                      today=TODAY)
    for step, on in (("verification", D(2024, 5, 2)), ("democratic_appraisal", D(2024, 5, 3)),
                     ("publicity", D(2024, 5, 4))):
        with pytest.raises(Forbidden) as caught:
            service.record_step(UnitOfWork(db, township), record.id, step, on, today=TODAY)
        assert caught.value.code == "core.forbidden_action"
        service.record_step(UnitOfWork(db, village), record.id, step, on, today=TODAY)
    before = _counts(db)
    with pytest.raises(Forbidden) as caught:
        service.record_step(UnitOfWork(db, village), record.id, "approval", D(2024, 5, 10), today=TODAY)
    assert caught.value.code == "core.forbidden_action"
    assert _counts(db)[:2] == before[:2], "nothing written on deny"
    service.record_step(UnitOfWork(db, township), record.id, "approval", D(2024, 5, 10), today=TODAY)
    with pytest.raises(Forbidden) as caught:
        service.clear_risk(UnitOfWork(db, village), record.id, D(2024, 5, 20), today=TODAY)
    assert caught.value.code == "core.forbidden_action"
    for role in ("grid", "entity_clerk", "shop_clerk", "auditor"):
        clerk = Actor(user_id=None, name=role, role=role, scope_prefix="530326100200")
        with pytest.raises(Forbidden):
            service.record_step(UnitOfWork(db, clerk), record.id, "verification", D(2024, 5, 2), today=TODAY)
    with db.session_factory() as session:
        assert session.get(Household, household).status == "monitored"
        assert [s.step for s in queries.steps_of(session, record.id)] == [
            "verification", "democratic_appraisal", "publicity", "approval"]


def test_a_step_recorded_twice_is_a_conflict_and_records_outside_the_scope_are_not_found(db):
    add_areas(db)
    household = exited_household(db, members=healthy_pair())
    record = service.start_monitoring(UnitOfWork(db, actor()), household, monitor_type="unstable",
                                      risk_types=["illness"], channel="cadre_check", clue_on=D(2024, 5, 1),
                                      today=TODAY)
    service.record_step(UnitOfWork(db, actor()), record.id, "verification", D(2024, 5, 2), today=TODAY)
    with pytest.raises(Conflict) as caught:
        service.record_step(UnitOfWork(db, actor()), record.id, "verification", D(2024, 5, 2), today=TODAY)
    assert caught.value.code == "monitoring.step_recorded"
    with pytest.raises(Invalid) as caught:
        service.record_step(UnitOfWork(db, actor()), record.id, "nonsense", D(2024, 5, 2), today=TODAY)
    assert caught.value.code == "monitoring.unknown_step"
    elsewhere = Actor(user_id=None, name="马龙", role="village", scope_prefix="530321100200")
    with pytest.raises(NotFound) as caught:
        service.record_step(UnitOfWork(db, elsewhere), record.id, "democratic_appraisal", D(2024, 5, 3),
                            today=TODAY)
    assert caught.value.code == "monitoring.not_found"
    with pytest.raises(NotFound):
        service.record_step(UnitOfWork(db, actor()), 2**63 - 1, "verification", D(2024, 5, 2), today=TODAY)
