import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from fupin.core import jobs
from fupin.core.audit import Actor, AuditEntry
from fupin.core.errors import Conflict, Forbidden, Invalid, NotFound
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.pairing import errors, queries, service
from fupin.pairing.models import OrgPairHelp, Pair
from fupin.registry.models import Visit
from tests.factories import add_areas
from tests.factories_orgs import (
    COUNTY,
    TOWNSHIP_1,
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_C,
    add_cadre,
    add_household,
    add_org,
)

SYSTEM = Actor.system("test")
TOWNSHIP_ACTOR = Actor(user_id=None, name="township", role="township", scope_prefix="530326100")


def _pairs(db):  # type: ignore[no-untyped-def]
    with db.session_factory() as session:
        return session.execute(select(Pair.household_id, Pair.cadre_id, Pair.ended_on).order_by(Pair.id)).all()


def _plan(db, area=COUNTY):  # type: ignore[no-untyped-def]
    return service.compute_plan(UnitOfWork(db, SYSTEM), area)


def test_plan_fills_quotas_inside_scope_keeps_valid_pairs_and_apply_writes_dated_rows(db):
    add_areas(db)
    households = [add_household(db, VILLAGE_A) for _ in range(4)] + [add_household(db, VILLAGE_C)]
    village_cadre = add_cadre(db, VILLAGE_A, rank="general")
    township_cadre = add_cadre(db, TOWNSHIP_1, rank="general")
    gone = add_cadre(db, VILLAGE_A, active_to=dt.date.today() - dt.timedelta(days=1))
    with db.session_factory() as session:
        session.add_all([Pair(household_id=households[0], cadre_id=village_cadre, area_code=VILLAGE_A,
                              started_on=dt.date(2018, 1, 1)),
                         Pair(household_id=households[1], cadre_id=gone, area_code=VILLAGE_A,
                              started_on=dt.date(2018, 1, 1))])
        session.commit()
    plan = _plan(db)
    assert plan["cost"]["kept"] == 1 and [e["cadre_id"] for e in plan["end"]] == [gone]
    added = {a["household_id"]: a["cadre_id"] for a in plan["add"]}
    assert set(added) == set(households[1:4]) and list(added.values()).count(village_cadre) == 2
    assert list(added.values()).count(township_cadre) == 1
    assert [u["household_id"] for u in plan["unpaired"]] == [households[4]], "no cadre may help 白雾村"
    counts = service.apply_plan_file(UnitOfWork(db, SYSTEM), plan)
    assert counts == {"added": 3, "ended": 1, "kept": 1, "unpaired": 1}
    rows = _pairs(db)
    assert len(rows) == 5, "the ended pair stays as a dated row; the change is a new row"
    assert [r for r in rows if r.cadre_id == gone][0].ended_on == dt.date.today()
    with db.session_factory() as session:
        helpers = dict(session.execute(queries.helpers_per_household(Scope.of_area(COUNTY))).all())
        assert set(helpers) == set(households[:4])
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.entity == "pairing_plan")) == 1


def test_a_stale_plan_is_refused_with_a_clear_message_and_writes_nothing(db):
    add_areas(db)
    for _ in range(3):
        add_household(db, VILLAGE_A)
    add_cadre(db, VILLAGE_A)
    plan = _plan(db)
    add_household(db, VILLAGE_B)  # the data changes after the plan was made
    with pytest.raises(Conflict) as refused:
        service.apply_plan_file(UnitOfWork(db, SYSTEM), plan)
    assert refused.value.code == "pairing.plan_stale"
    assert _pairs(db) == []
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.entity == "pairing_plan")) == 0
    tampered = _plan(db)
    tampered["add"].append({"household_id": tampered["add"][0]["household_id"] + 999, "cadre_id": 1,
                            "level": "village"})
    with pytest.raises(Invalid) as refused:
        service.apply_plan_file(UnitOfWork(db, SYSTEM), tampered)
    assert refused.value.code == "pairing.plan_out_of_bounds"
    tampered["add"][-1]["household_id"] = "x"
    with pytest.raises(Invalid) as refused:
        service.apply_plan_file(UnitOfWork(db, SYSTEM), tampered)
    assert refused.value.code == "pairing.plan_malformed"
    assert _pairs(db) == []


def test_a_plan_of_another_area_is_refused_for_a_township_user(db):
    add_areas(db)
    add_household(db, VILLAGE_C)
    plan = _plan(db, "530326101000")
    with pytest.raises(Forbidden) as refused:
        service.apply_plan_file(UnitOfWork(db, TOWNSHIP_ACTOR), plan)
    assert refused.value.code == "core.out_of_scope"
    with pytest.raises(Forbidden) as refused:
        service.compute_plan(UnitOfWork(db, TOWNSHIP_ACTOR), "530326101000")
    assert refused.value.code == "core.out_of_scope"
    stored = service.save_plan(UnitOfWork(db, SYSTEM), plan).id
    with pytest.raises(NotFound) as refused:
        service.apply_plan(UnitOfWork(db, TOWNSHIP_ACTOR), stored)
    assert refused.value.code == "pairing.plan_not_found"


def test_a_stored_plan_is_applied_once(db):
    add_areas(db)
    add_household(db, VILLAGE_A)
    add_cadre(db, VILLAGE_A)
    stored = service.save_plan(UnitOfWork(db, SYSTEM), _plan(db)).id
    assert service.apply_plan(UnitOfWork(db, SYSTEM), stored)["added"] == 1
    with pytest.raises(Conflict) as refused:
        service.apply_plan(UnitOfWork(db, SYSTEM), stored)
    assert refused.value.code == "pairing.plan_already_applied"
    assert len(_pairs(db)) == 1


def test_the_plan_job_reports_progress_and_saves_the_plan_for_review(db):
    add_areas(db)
    for _ in range(3):
        add_household(db, VILLAGE_A)
    add_cadre(db, VILLAGE_A)
    job_id = service.request_plan(UnitOfWork(db, SYSTEM), COUNTY)
    assert jobs.run_pending(db) == 1
    view = jobs.get(UnitOfWork(db, SYSTEM), job_id)
    assert view.status == jobs.DONE, view.error
    assert view.result["cost"]["added"] == 3
    with db.session_factory() as session:
        stored = queries.get_plan(session, view.result["plan_id"], Scope.everything())
        assert stored.applied_at is None and stored.body["cost"]["added"] == 3
    assert _pairs(db) == [], "computing a plan changes no pair"


def test_manual_pairing_respects_quota_and_area_and_ending_keeps_history(db, monkeypatch):
    add_areas(db)
    monkeypatch.setenv("FUPIN_PAIRING_QUOTAS", "general=1")
    first, second, far = add_household(db, VILLAGE_A), add_household(db, VILLAGE_A), add_household(db, VILLAGE_C)
    cadre = add_cadre(db, VILLAGE_A)
    made = service.pair(UnitOfWork(db, SYSTEM), first, cadre).id
    with pytest.raises(Conflict) as refused:
        service.pair(UnitOfWork(db, SYSTEM), first, cadre)
    assert refused.value.code == "pairing.already_paired"
    with pytest.raises(Conflict) as refused:
        service.pair(UnitOfWork(db, SYSTEM), second, cadre)
    assert (refused.value.code, refused.value.params) == ("pairing.quota_full", {"quota": 1})
    with pytest.raises(Invalid) as refused:
        service.pair(UnitOfWork(db, SYSTEM), far, cadre)
    assert refused.value.code == "pairing.cadre_outside_household_area"
    service.end_pair(UnitOfWork(db, SYSTEM), made, "干部调离")
    with pytest.raises(Conflict) as refused:
        service.end_pair(UnitOfWork(db, SYSTEM), made, "再结束一次")
    assert refused.value.code == "pairing.pair_already_ended"
    service.pair(UnitOfWork(db, SYSTEM), second, cadre)
    with db.session_factory() as session:
        history = queries.household_pair_history(session, first, Scope.everything())
        assert [(h["end_reason"], h["ended_on"]) for h in history] == [("干部调离", dt.date.today())]


def test_pairing_errors_never_name_a_cadre_or_posting_outside_the_scope(db):
    """Issue 12: a township user pairing with a cadre of another county learnt his name and posting."""
    add_areas(db)
    household = add_household(db, VILLAGE_A)
    foreign = add_cadre(db, "530321100200", name="外县干部")
    neighbour = add_cadre(db, "530326101200", name="邻镇干部")
    county_cadre = add_cadre(db, COUNTY, name="县级干部")
    for cadre in (foreign, neighbour):
        with pytest.raises(NotFound) as refused:
            service.pair(UnitOfWork(db, TOWNSHIP_ACTOR), household, cadre)
        assert refused.value.code == "pairing.cadre_not_found"
        for secret in ("外县干部", "邻镇干部", "530321", "530326101"):
            assert secret not in refused.value.message
    made = service.pair(UnitOfWork(db, TOWNSHIP_ACTOR), household, county_cadre)
    assert made.cadre_id == county_cadre, "a county cadre serves every township of the county"


def test_organisation_pairs_stay_inside_the_callers_scope(db):
    """Issue 12: organisation pairs could be made with an organisation outside the caller's scope."""
    add_areas(db)
    mine = add_org(db, area_code=VILLAGE_A)
    township_organ = add_org(db, name="钟屏街道机关党支部", area_code=TOWNSHIP_1, base_kind="organ", base_name="街道办")
    foreign = add_org(db, name="马龙区机关党支部", area_code="530321000000", base_kind="organ", base_name="区扶贫办")
    with pytest.raises(NotFound) as refused:
        service.create_org_pair(UnitOfWork(db, TOWNSHIP_ACTOR), foreign, mine, "1+1", dt.date(2020, 1, 1))
    assert refused.value.code == "orgs.org_not_found" and "马龙区" not in refused.value.message
    record = service.create_org_pair(UnitOfWork(db, TOWNSHIP_ACTOR), township_organ, mine, "1+1",
                                     dt.date(2020, 1, 1))
    assert record.area_code == VILLAGE_A
    with pytest.raises(Conflict) as refused:
        service.create_org_pair(UnitOfWork(db, TOWNSHIP_ACTOR), township_organ, mine, "X+1", dt.date(2021, 1, 1))
    assert refused.value.code == "pairing.org_pair_exists"


def test_visit_follow_up_lists_pairs_not_visited_for_n_days(db):
    add_areas(db)
    visited, stale = add_household(db, VILLAGE_A, head_name="常走访"), add_household(db, VILLAGE_A, head_name="久未访")
    cadre = add_cadre(db, VILLAGE_A)
    service.pair(UnitOfWork(db, SYSTEM), visited, cadre)
    service.pair(UnitOfWork(db, SYSTEM), stale, cadre)
    today = dt.date.today()
    with db.session_factory() as session:
        session.add_all([Visit(household_id=visited, county_code="530326", area_code=VILLAGE_A, cadre_id=cadre,
                               visitor_name="李干部", visited_on=today - dt.timedelta(days=3)),
                         Visit(household_id=stale, county_code="530326", area_code=VILLAGE_A, cadre_id=cadre,
                               visitor_name="李干部", visited_on=today - dt.timedelta(days=45))])
        session.commit()
        rows = queries.pairs_with_last_visit(session, Scope.of_area(COUNTY), overdue_days=30)
        assert [(r["head_name"], r["last_visit"]) for r in rows] == [("久未访", today - dt.timedelta(days=45))]
        assert len(queries.pairs_with_last_visit(session, Scope.of_area(COUNTY), overdue_days=2)) == 2


def test_org_pairing_records_help_in_exact_yuan(db):
    add_areas(db)
    organ = add_org(db, name="县扶贫办机关党支部", area_code=COUNTY, base_kind="organ", base_name="县扶贫办")
    village = add_org(db, area_code=VILLAGE_A)
    record = service.create_org_pair(UnitOfWork(db, SYSTEM), organ, village, "1+1", dt.date(2019, 1, 1)).id
    service.record_org_help(UnitOfWork(db, SYSTEM), record, dt.date(2019, 5, 1), "10000.10", project="滴灌")
    service.record_org_help(UnitOfWork(db, SYSTEM), record, dt.date(2019, 6, 1), Decimal("0.20"), project="活动室")
    for bad in ("一万", "1e999999", "NaN", "1000000000000"):
        with pytest.raises(Invalid) as refused:
            service.record_org_help(UnitOfWork(db, SYSTEM), record, dt.date(2019, 6, 1), bad)
        assert refused.value.code == "pairing.funds_invalid", bad
    with db.session_factory() as session:
        (row,) = queries.org_pairs(session, Scope.of_area(COUNTY))
        assert Decimal(row["funds"]) == Decimal("10000.30") and row["projects"] == 2
        assert session.scalar(select(func.count()).select_from(OrgPairHelp)) == 2


def test_cli_plan_then_apply_then_the_same_plan_again_is_refused(db, tmp_path):
    add_areas(db)
    add_household(db, VILLAGE_A)
    add_cadre(db, VILLAGE_A)
    from fupin.cli import app

    out = tmp_path / "plan.json"
    result = CliRunner().invoke(app, ["pairing", "plan", "--area", "530326", "--out", str(out), "--db", db.url])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["cost"]["added"] == 1
    result = CliRunner().invoke(app, ["pairing", "apply", str(out), "--db", db.url])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(app, ["pairing", "apply", str(out), "--db", db.url])
    assert result.exit_code == 1 and errors.PLAN_STALE().message[:20] in result.output
    assert len(_pairs(db)) == 1


def test_a_second_open_pair_of_the_same_cadre_and_household_is_refused_by_the_database(db):
    """The partial unique index backs the locks: whoever writes a duplicate open pair gets a 409, not a 500."""
    add_areas(db)
    household, cadre = add_household(db, VILLAGE_A), add_cadre(db, VILLAGE_A)
    service.pair(UnitOfWork(db, SYSTEM), household, cadre)
    row = (household, cadre, VILLAGE_A, dt.date.today(), None, dt.datetime.now(dt.UTC))
    with pytest.raises(Conflict) as refused, UnitOfWork(db, SYSTEM) as uow:
        service._insert_pairs(uow, [row])
    assert refused.value.code == "core.concurrent_write"
    with pytest.raises(Conflict) as refused, UnitOfWork(db, SYSTEM) as uow:
        uow.session.add(Pair(household_id=household, cadre_id=cadre, area_code=VILLAGE_A,
                             started_on=dt.date.today()))
        uow.flush()
    assert refused.value.code == "core.concurrent_write"
    assert len(_pairs(db)) == 1
