"""Industry's use cases on SQLite and PostgreSQL: the seed-001 story with amounts checked by hand, immutable
confirmed runs, refused credit codes and land contracts, the entity clerk's limits, and what reaches the
registry, the collective economy, the indicators and orgs' coverage rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from fupin.core.audit import Actor, AuditEntry
from fupin.core.errors import FupinError
from fupin.core.uow import UnitOfWork
from fupin.indicators import drilldown, engine
from fupin.industry import queries, schemas, service
from fupin.industry.models import CollectiveIncome, DistributionRun, IndustryEntity, LandContract, RunPart
from fupin.registry.models import HouseholdIncome
from tests.factories_industry import (
    COUNTY,
    TIANFU_CREDIT_CODE,
    TOWNSHIP,
    VILLAGES,
    add_entity,
    add_township,
    story_run,
    system,
)

D = Decimal


def county(db) -> UnitOfWork:  # type: ignore[no-untyped-def]
    return UnitOfWork(db, Actor(user_id=None, name="county", role="county", scope_prefix="210423"))


def clerk(db, entity_id: int) -> UnitOfWork:  # type: ignore[no-untyped-def]
    return UnitOfWork(db, Actor(user_id=None, name="clerk", role="entity_clerk", scope_prefix="210423",
                                entity_id=entity_id))


def _parts(db, run_id: int) -> list[RunPart]:  # type: ignore[no-untyped-def]
    with db.session_factory() as session:
        return queries.parts_of(session, run_id)


def test_the_seed_001_story_reproduces_with_amounts_checked_by_hand(db):
    households = add_township(db)
    entity = add_entity(db)
    run, dist = service.preview_run(county(db), entity, story_run(), today=dt.date(2017, 10, 1))
    # 500,000.00 yuan: 40 % = 200,000.00 to the enterprise, 60 % = 300,000.00 to the ten villages
    assert (dist.enterprise, dist.villages_total) == (D("200000.00"), D("300000.00"))
    # by registered households (30, 28, 26, 25, 24, 24, 23, 22, 21, 20 of 243): 300,000 × n / 243 rounded down to
    # the cent, the 6 cents left go to the largest remainders (.963, .963, .802, .753, .704, .593)
    assert [v.amount for v in dist.villages] == [
        D("37037.04"), D("34567.90"), D("32098.76"), D("30864.20"), D("29629.63"), D("29629.63"), D("28395.06"),
        D("27160.49"), D("25925.93"), D("24691.36")]
    v1, v2, v3 = dist.villages[:3]
    # 大堡村: 20 households below the standard × 1,500.00 (the cap) = 30,000.00; the collective gets 7,037.04
    assert [h.amount for h in v1.households] == [D("1500.00")] * 20 and v1.collective == D("7037.04")
    # 长沙村: 28 below the standard, 34,567.90 / 28 = 1,234.5678…: 22 × 1,234.57 + 6 × 1,234.56, nothing left
    assert [h.amount for h in v2.households] == [D("1234.57")] * 22 + [D("1234.56")] * 6 and v2.collective == 0
    assert [h.id for h in v2.households] == households[VILLAGES[1]]  # in household-number order
    # 南天门村: 5 × 1,500.00, the collective 32,098.76 − 7,500.00 = 24,598.76
    assert [h.amount for h in v3.households] == [D("1500.00")] * 5 and v3.collective == D("24598.76")
    assert run.status == "preview"
    stored = _parts(db, run.id)
    assert sum((p.amount for p in stored if p.kind != "village"), D(0)) == D("500000.00")

    confirmed = service.confirm_run(county(db), run.id, today=dt.date(2017, 11, 1))
    assert confirmed.status == "confirmed"
    with db.session_factory() as session:
        incomes = dict(session.execute(select(HouseholdIncome.household_id, HouseholdIncome.property_income)
                                       .where(HouseholdIncome.year == 2017)).all())
        assert incomes[households[VILLAGES[0]][0]] == D("1500.00")
        assert incomes[households[VILLAGES[1]][21]] == D("1234.57")
        assert incomes[households[VILLAGES[1]][22]] == D("1234.56")
        assert households[VILLAGES[0]][25] not in incomes  # exited: nothing in the first round
        assert sum(incomes.values(), D(0)) == D("30000") + D("34567.90") + D("7500") * 8
        collective = dict(session.execute(select(CollectiveIncome.area_code, CollectiveIncome.amount)).all())
        assert collective[VILLAGES[0]] == D("7037.04") and collective[VILLAGES[2]] == D("24598.76")
        assert VILLAGES[1] not in collective  # nothing left for 长沙村's collective
    # the indicators: dividends paid (whole yuan, rolled up), with the households behind the figure
    with db.session_factory() as session:
        table = engine.compute(session, county(db).scope, COUNTY, 2017, codes=["dividends_paid"])
        value = table.rows[0].values["dividends_paid"]
        assert (value.value, value.opens) == (30000 + 34568 + 7500 * 8, True)
        rows = drilldown.records(session, county(db).scope, "dividends_paid", TOWNSHIP, 2017)
        assert len(rows) == 20 + 28 + 5 * 8


def test_segments_are_allocated_by_village_in_whole_units(db):
    add_township(db)
    entity = add_entity(db)
    _run, dist = service.preview_run(county(db), entity, story_run(
        total=D("800000"), unit="piece", enterprise_percent=D("0"), inside_village="collective",
        household_cap=None), today=dt.date(2017, 4, 1))
    # 800,000 × n / 243: the 5 units left go to the remainders .98, .80, .707, .62, .527
    assert [int(v.amount) for v in dist.villages] == [98765, 92181, 85597, 82305, 79012, 79012, 75720, 72428,
                                                      69136, 65844]
    assert sum(v.amount for v in dist.villages) == 800000 and dist.enterprise == 0


def test_a_confirmed_run_cannot_change(db):
    add_township(db)
    entity = add_entity(db)
    run, _ = service.preview_run(county(db), entity, story_run())
    service.confirm_run(county(db), run.id)
    with db.session_factory() as session:
        before = [(p.kind, p.area_code, p.household_id, p.amount) for p in queries.parts_of(session, run.id)]
        audit_rows = session.scalar(select(func.count()).select_from(AuditEntry))
        incomes = session.scalar(select(func.sum(HouseholdIncome.property_income)))
    for attempt in (lambda: service.confirm_run(county(db), run.id), lambda: service.discard_run(county(db), run.id)):
        with pytest.raises(FupinError) as refused:
            attempt()
        assert refused.value.code == "industry.run_confirmed"
    with db.session_factory() as session:
        assert [(p.kind, p.area_code, p.household_id, p.amount) for p in queries.parts_of(session, run.id)] == before
        assert session.scalar(select(func.sum(HouseholdIncome.property_income))) == incomes
        assert session.get(DistributionRun, run.id).status == "confirmed"
        # only the denied attempts were recorded (outside the refused transactions), nothing was changed
        assert session.scalar(select(func.count()).select_from(AuditEntry)) >= audit_rows
    # a correction is a new run that names the one it corrects
    correction, _ = service.preview_run(county(db), entity, story_run(total=D("10.00"), corrects_id=run.id))
    assert correction.corrects_id == run.id and correction.status == "preview"


def test_a_bad_credit_code_is_refused_with_its_reason(db):
    add_township(db)
    with pytest.raises(FupinError) as refused:
        add_entity(db, credit_code="91210423MA0U4K2X1J")
    assert refused.value.code == "industry.credit_code_checksum" and "应为H" in refused.value.message
    add_entity(db)
    with pytest.raises(FupinError) as taken:
        add_entity(db, "另一家", credit_code=TIANFU_CREDIT_CODE.lower())
    assert taken.value.code == "industry.credit_code_taken"
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(IndustryEntity)) == 1


def test_a_land_contract_with_negative_area_or_end_before_start_is_refused(db):
    households = add_township(db)
    entity = add_entity(db)
    household = households[VILLAGES[0]][0]
    good = {"household_id": household, "area_mu": D("2.50"), "rent_per_mu": D("500"),
            "starts_on": dt.date(2017, 3, 1), "ends_on": dt.date(2029, 12, 31)}
    for bad, code in (({"area_mu": D("-1")}, "industry.area_negative"),
                      ({"ends_on": dt.date(2016, 1, 1)}, "industry.end_before_start")):
        with pytest.raises(FupinError) as refused:
            service.add_land_contract(county(db), entity, schemas.LandContractCreate(**{**good, **bad}))
        assert refused.value.code == code
    contract = service.add_land_contract(county(db), entity, schemas.LandContractCreate(**good))
    service.record_rent(county(db), contract.id, schemas.RentPaymentCreate(year=2017, paid=D("600"),
                                                                           paid_on=dt.date(2017, 4, 1)))
    service.record_rent(county(db), contract.id, schemas.RentPaymentCreate(year=2017, paid=D("650"),
                                                                           paid_on=dt.date(2017, 9, 1)))
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(LandContract)) == 1
        totals = queries.land_totals(session, queries.contracts_of(session, entity), 2017)
        assert (totals.area_mu, totals.rent_due, totals.rent_paid) == (D("2.50"), D("1250.00"), D("1250.00"))


def test_an_entity_clerk_cannot_touch_another_entity(db):
    households = add_township(db)
    own = add_entity(db)
    other = add_entity(db, "绿森木椴木耳合作社", kind="cooperative", area_code=VILLAGES[0], credit_code=None)
    member = schemas.MembershipCreate(household_id=households[VILLAGES[0]][0], link_kind="share", shares=D("1"),
                                      joined_on=dt.date(2017, 3, 1))
    for attempt in (lambda: service.add_membership(clerk(db, own), other, member),
                    lambda: service.preview_run(clerk(db, own), other, story_run()),
                    lambda: service.update_entity(clerk(db, own), other, schemas.EntityUpdate(note="x")),
                    lambda: service.create_entity(clerk(db, own), schemas.EntityCreate(
                        name="新社", area_code=VILLAGES[0]))):
        with pytest.raises(FupinError) as refused:
            attempt()
        assert refused.value.code == "core.not_your_entity"
    # …but works in its own
    assert service.add_membership(clerk(db, own), own, member).entity_id == own
    run, _ = service.preview_run(clerk(db, own), own, story_run())
    with pytest.raises(FupinError) as refused:
        service.confirm_run(clerk(db, own), run.id)  # only the county or township confirms
    assert refused.value.code == "core.forbidden_action"
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).where(DistributionRun.entity_id == other)) == 0


def test_branch_led_cooperative_covers_its_village_and_the_indicators_count_it(db):
    from fupin.orgs import coverage
    from fupin.orgs import service as orgs_service

    households = add_township(db)
    with system(db) as uow:
        org = orgs_service.create_org(uow, name="大堡村党支部", org_type="branch", area_code=VILLAGES[0],
                                      base_kind="village", founded_on=dt.date(2010, 1, 1))
    coop = add_entity(db, "绿森木椴木耳合作社", kind="cooperative", area_code=VILLAGES[0], credit_code=None,
                      led_by_org_id=org.id)
    with system(db) as uow:
        service.add_membership(uow, coop, schemas.MembershipCreate(
            household_id=households[VILLAGES[0]][0], link_kind="share", shares=D("2"), joined_on=dt.date(2017, 3, 1)))
        service.add_land_contract(uow, coop, schemas.LandContractCreate(
            household_id=households[VILLAGES[0]][1], area_mu=D("35.4"), rent_per_mu=D("500"),
            starts_on=dt.date(2017, 3, 1), ends_on=dt.date(2030, 2, 28)))
        service.record_collective_income(uow, schemas.CollectiveIncomeCreate(
            area_code=VILLAGES[0], year=2017, source="operation", amount=D("50000")))
        service.record_collective_income(uow, schemas.CollectiveIncomeCreate(
            area_code=VILLAGES[1], year=2017, source="operation", amount=D("49999.99")))
    with db.session_factory() as session:
        from fupin.orgs.coverage import CoverageContext

        rule = next(r for r in coverage.all_rules() if r.key == "village_cooperative")
        ctx = CoverageContext(session, county(db).scope.narrowed_to(TOWNSHIP), dt.date(2017, 12, 31), None)
        items = rule.items(ctx)
        assert [r.area_code for r in session.execute(items.base.where(items.covered))] == [VILLAGES[0]]
        # before the cooperative was founded, or once its organisation is dissolved, nothing is covered
        early = rule.items(CoverageContext(session, ctx.scope, dt.date(2009, 12, 31), None))
        assert list(session.execute(early.base.where(early.covered))) == []
        under = [code for code, _name, _income in
                 queries.villages_under_target(session, county(db).scope.narrowed_to(TOWNSHIP), 2017)]
        assert VILLAGES[0] not in under and VILLAGES[1] in under and len(under) == 9
        table = engine.compute(session, county(db).scope, COUNTY, 2017, codes=[
            "cooperatives", "cooperative_members", "land_transferred_mu", "villages_collective_income_met"])
        assert {code: v.value for code, v in table.rows[0].values.items()} == {
            "cooperatives": 1, "cooperative_members": 1, "land_transferred_mu": 35, "villages_collective_income_met": 1}
        for code in ("cooperatives", "cooperative_members", "land_transferred_mu", "villages_collective_income_met"):
            records = drilldown.records(session, county(db).scope, code, COUNTY, 2017)
            assert len(records) == 1 and records[0]["area_code"] == VILLAGES[0], code
