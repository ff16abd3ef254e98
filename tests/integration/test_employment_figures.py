import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from fupin.core.areacodes import AreaLevel
from fupin.core.audit import Actor, AuditEntry
from fupin.core.errors import Conflict, Invalid, NotFound
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.employment import queries, service
from fupin.employment.models import HouseholdEmployment, JobPlacement
from tests.factories import add_areas
from tests.factories_employment import TODAY, add_household, add_site, add_worker, place

ADMIN = Actor.system("test")
V1, V2, V3 = "530326100200", "530326100201", "530326101200"


@pytest.fixture
def county(db):
    """By hand: 北坎村 (V1) 2 households / 4 workers, 石坝村 (V2) 1 household / 2 workers, 白雾村 (V3) 1 household
    with 1 worker and a child, 马龙区 1 household outside the county.

    2023 jobs: V1 a: 省外 labour export (宁波), V1 b: workshop (县内), V1 c: self-employed (not transfer),
    V2 d: public-welfare post, V2 e: 县外省内 (昆明) ended 2022 (not counted in 2023), V3: nobody employed.
    """
    add_areas(db)
    h1, (a, b) = add_household(db, V1, [{"age": 30}, {"age": 28}])
    h2, (c, d0) = add_household(db, V1, [{"age": 45}, {"age": 44, "labour_capacity": "weak", "education": "none"}])
    h3, (d, e) = add_household(db, V2, [{"age": 50}, {"age": 25}])
    h4, (f, _child) = add_household(db, V3, [{"age": 35}, {"age": 8, "schooling": "primary"}])
    h5, (g,) = add_household(db, "530321100200", [{"age": 33}])
    workers = {name: add_worker(db, pid) for name, pid in
               {"a": a, "b": b, "c": c, "d0": d0, "d": d, "e": e, "f": f, "g": g}.items()}
    place(db, workers["a"], "labour_export", "out_province", destination="浙江省宁波市")
    place(db, workers["b"], "workshop")
    place(db, workers["c"], "self_employed")
    place(db, workers["d"], "public_welfare")
    old = place(db, workers["e"], "labour_export", "in_province", destination="昆明市", started_on=dt.date(2022, 2, 1))
    with UnitOfWork(db, ADMIN) as uow:
        service.end_placement(uow, old, dt.date(2022, 11, 30))
    place(db, workers["g"], "labour_export", "out_province", destination="浙江省宁波市")
    return {"households": (h1, h2, h3, h4, h5), "workers": workers}


def test_figures_equal_a_hand_count(db, county):
    with db.session_factory() as session:
        total = queries.figures_for_area(session, Scope.everything(), "530326000000", 2023)
        assert (total.labour_force, total.employed, total.transfer_employed) == (7, 4, 3)
        assert (total.in_county, total.in_province, total.out_province) == (2, 0, 1)
        assert (total.households_with_labour, total.households_employed, total.public_welfare) == (4, 3, 1)
        assert str(total.transfer_rate) == "42.9"
        villages = {f.area_code: f for f in queries.employment_figures(session, Scope.of_area("530326000000"), 2023,
                                                                        AreaLevel.village)}
        assert sorted(villages) == [V1, V2, V3]
        assert (villages[V1].labour_force, villages[V1].employed, villages[V1].transfer_employed) == (4, 3, 2)
        assert (villages[V2].employed, villages[V2].public_welfare, villages[V3].employed) == (1, 1, 0)
        assert villages[V3].households_with_labour == 1 and villages[V3].households_employed == 0
        in_2022 = queries.figures_for_area(session, Scope.everything(), V2, 2022)
        assert (in_2022.employed, in_2022.in_province) == (1, 1), "the job ended in 2022 counts in 2022"
        listed = queries.figure_members(session, Scope.everything(), "530326000000", 2023, "transfer_employed")
        assert len(listed) == 3
        assert len(queries.figure_members(session, Scope.everything(), "530326000000", 2023, "labour_force")) == 7
        assert len(queries.figure_members(session, Scope.everything(), V1, 2023, "households_employed")) == 2


def test_export_concentrations_and_stations_for_the_orgs_capability(db, county):
    with db.session_factory() as session:
        rows = session.execute(queries.export_concentrations_select(Scope.everything())).all()
        assert sorted((r.destination, r.county_code, r.workers) for r in rows) == [
            ("浙江省宁波市", "530321", 1), ("浙江省宁波市", "530326", 1)]
        assert session.execute(queries.export_concentrations_select(Scope.of_area(V2))).all() == []
    site = add_site(db, V1)
    with UnitOfWork(db, ADMIN) as uow:
        service.create_station(uow, name="北坎村就业服务站", area_code=V1, site_id=site, serves=V1)
    with db.session_factory() as session:
        rows = session.execute(queries.stations_select(Scope.of_area("530326000000"))).all()
        assert [(r.name, r.area_code, r.site_id) for r in rows] == [("北坎村就业服务站", V1, site)]
        assert session.execute(queries.stations_select(Scope.of_area("530321000000"))).all() == []


def test_ending_a_job_updates_the_households_employed_status(db, county):
    h1 = county["households"][0]
    with db.session_factory() as session:
        assert session.get(HouseholdEmployment, h1).employed_members == 2
        placement_b = session.scalar(select(JobPlacement.id).where(JobPlacement.worker_id == county["workers"]["b"]))
        placement_a = session.scalar(select(JobPlacement.id).where(JobPlacement.worker_id == county["workers"]["a"]))
    with UnitOfWork(db, ADMIN) as uow:
        service.end_placement(uow, placement_b, dt.date(2023, 12, 31))
    with db.session_factory() as session:
        assert session.get(HouseholdEmployment, h1).employed_members == 1
    with UnitOfWork(db, ADMIN) as uow:
        service.end_placement(uow, placement_a, dt.date(2023, 12, 31))
    with db.session_factory() as session:
        assert session.get(HouseholdEmployment, h1).employed_members == 0
        assert queries.employed_members_by_household(session, [h1]) == {h1: 0}
    with pytest.raises(Conflict) as again:
        service.end_placement(UnitOfWork(db, ADMIN), placement_a, dt.date(2024, 1, 1))
    assert again.value.code == "employment.placement_ended"
    with db.session_factory() as session:
        assert session.get(JobPlacement, placement_a).ended_on == dt.date(2023, 12, 31), "the first end stands"


def _code(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises((Conflict, Invalid, NotFound)) as caught:
        call()
    return caught.value.code


def test_bad_input_is_refused_with_codes_and_writes_nothing(db, county):
    worker = county["workers"]["f"]
    with db.session_factory() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    def uow():  # type: ignore[no-untyped-def]
        return UnitOfWork(db, ADMIN)

    start = dt.date(2023, 1, 1)
    assert _code(lambda: service.add_placement(uow(), worker, source="labour_export", work_place="out_province",
                                               started_on=start)) == "employment.destination_required"
    assert _code(lambda: service.add_placement(uow(), worker, source="workshop", started_on=start,
                                               monthly_wage="abc")) == "employment.wage_invalid"
    assert _code(lambda: service.add_placement(uow(), worker, source="workshop", started_on=start,
                                               monthly_wage="1e400")) == "employment.wage_invalid"
    assert _code(lambda: service.add_placement(uow(), worker, source="lottery", started_on=start)
                 ) == "employment.invalid_choice"
    assert _code(lambda: service.add_placement(uow(), worker, source="public_welfare", work_place="out_province",
                                               started_on=start)) == "employment.public_welfare_in_county"
    assert _code(lambda: service.add_placement(uow(), 2**63, source="workshop", started_on=start)
                 ) == "employment.worker_not_found"
    _h, (child_adult, child) = add_household(db, V3, [{"age": 40}, {"age": 9, "schooling": "primary"}])
    assert _code(lambda: service.register_worker(uow(), child, today=TODAY)) == "employment.not_in_labour_registry"
    assert _code(lambda: service.register_worker(uow(), _person_of(db, worker), today=TODAY)
                 ) == "employment.worker_exists"
    assert _code(lambda: service.register_worker(uow(), 10**9, today=TODAY)) == "employment.person_not_found"
    assert _code(lambda: service.create_opening(uow(), title="x", area_code=V1, source="workshop",
                                                employer_name="y", station_id=999)) == "employment.station_not_found"
    assert _code(lambda: service.create_course(uow(), title="x", course_type="rebar", area_code=V1, hours=8,
                                               provider="y", starts_on=start, ends_on=dt.date(2022, 1, 1))
                 ) == "employment.course_ends_before_start"
    assert _code(lambda: service.create_station(uow(), name="站", area_code=V1, site_id=7)
                 ) == "employment.site_not_found"
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == before
        assert session.scalar(select(func.count()).where(JobPlacement.worker_id == worker)) == 0


def _person_of(db, worker_id):
    from fupin.employment.models import Worker

    with db.session_factory() as session:
        return session.get(Worker, worker_id).person_id


def test_matching_puts_households_with_nobody_employed_first_and_accepting_places_the_worker(db, county):
    with UnitOfWork(db, ADMIN) as uow:
        opening = service.create_opening(uow, title="缝纫工", area_code=V1, source="workshop",
                                         employer_name="以礼社区服装加工扶贫车间", employer_kind="workshop", positions=1,
                                         monthly_wage="2400")
    with db.session_factory() as session:
        proposal = queries.propose_matches(session, Scope.everything(), session.merge(opening))
    names = [(w.id, n) for _s, w, n in proposal]
    assert names[0][1] == 0, "a household with nobody employed comes first"
    assert county["workers"]["a"] not in [w for w, _n in names], "employed workers are not proposed"
    chosen = names[0][0]
    with UnitOfWork(db, ADMIN) as uow:
        placement = service.accept_match(uow, opening.id, chosen, dt.date(2024, 2, 1))
        assert placement.monthly_wage == Decimal("2400.00") and placement.source == "workshop"
    with pytest.raises(Conflict) as full:
        service.accept_match(UnitOfWork(db, ADMIN), opening.id, county["workers"]["d0"], dt.date(2024, 2, 1))
    assert full.value.code == "employment.opening_closed"
    with db.session_factory() as session:
        assert session.scalar(select(func.count()).where(JobPlacement.opening_id == opening.id)) == 1


def test_trained_then_placed(db, county):
    with UnitOfWork(db, ADMIN) as uow:
        course = service.create_course(uow, title="钢筋工培训班", course_type="rebar", area_code=V3, hours=80,
                                       provider="会泽县职业技术培训中心", starts_on=dt.date(2023, 4, 1),
                                       ends_on=dt.date(2023, 4, 20))
        attendance = service.enrol(uow, course.id, county["workers"]["f"])
        service.enrol(uow, course.id, county["workers"]["e"])
    with UnitOfWork(db, ADMIN) as uow:
        service.complete_attendance(uow, attendance.id, certified=True)
    with db.session_factory() as session:
        assert queries.trained_then_placed(session, Scope.everything()) == {"trained": 1, "placed_after_training": 0}
    place(db, county["workers"]["f"], "enterprise", started_on=dt.date(2023, 5, 1))
    with db.session_factory() as session:
        assert queries.trained_then_placed(session, Scope.everything()) == {"trained": 1, "placed_after_training": 1}
        history = queries.training_of_worker(session, county["workers"]["f"])
        assert [(a.completed, c.title) for a, c in history] == [(True, "钢筋工培训班")]
    with pytest.raises(Conflict) as twice:
        service.enrol(UnitOfWork(db, ADMIN), course.id, county["workers"]["f"])
    assert twice.value.code == "employment.already_enrolled"
