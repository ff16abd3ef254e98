"""History by date (issue 17, item 7): figures of a past year count that year's members, and relocation figures
count what had happened by the end of the year."""

import datetime as dt

import pytest
from sqlalchemy import update

from fupin.core.audit import Actor
from fupin.core.errors import Invalid
from fupin.core.rollup import Context, new_figures
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.registry import figures as registry_figures
from fupin.registry import queries, service
from fupin.registry.models import HouseholdEvent, Person
from fupin.relocation import figures as relocation_figures
from fupin.relocation.models import RelocatedHousehold
from tests.factories import add_areas
from tests.factories_employment import add_site, relocate
from tests.factories_registry import add_household, member

COUNTY, VILLAGE = "530326000000", "530326100200"
SYSTEM = Actor.system("test")


def _people(db, year: int) -> dict[str, int]:
    figures = new_figures()
    with db.session_factory() as session:
        ctx = Context(session, Scope(COUNTY[:6]), COUNTY, year, dt.date(year, 12, 31))
        registry_figures.GROUPS["registry_people"].compute(ctx, figures)
    return {name: sum(f.get(name, 0) for f in figures.values()) for name in registry_figures.PEOPLE_FIGURES}


def _relocation(db, year: int) -> dict[str, int]:
    figures = new_figures()
    with db.session_factory() as session:
        ctx = Context(session, Scope(COUNTY[:6]), COUNTY, year, dt.date(year, 12, 31))
        relocation_figures.GROUPS["relocation"].compute(ctx, figures)
    return {name: sum(f.get(name, 0) for f in figures.values()) for name in relocation_figures.PROGRESS_FIGURES}


def test_a_member_who_left_in_2019_counts_in_2018_not_2020_and_a_newborn_from_2019_on(db):
    add_areas(db)
    household = add_household(db, VILLAGE)  # two members since registration (2015)
    with UnitOfWork(db, SYSTEM) as uow:
        son = service.add_person(uow, household, member("王小", "son", dt.date(2000, 1, 1), joined_on=dt.date(2015, 1, 1),
                                                       join_reason="迁入"), today=dt.date(2024, 6, 1))
    with UnitOfWork(db, SYSTEM) as uow:
        service.remove_person(uow, son.id, "婚出", son.version, left_on=dt.date(2019, 5, 1), today=dt.date(2024, 6, 1))
    with UnitOfWork(db, SYSTEM) as uow:
        service.add_person(uow, household, member("王宝", "grandson", dt.date(2019, 3, 1), joined_on=dt.date(2019, 3, 1),
                                                  join_reason="birth"), today=dt.date(2024, 6, 1))
    assert _people(db, 2018)["registered_people"] == 3  # the son, not yet the baby
    assert _people(db, 2019)["registered_people"] == 3  # the baby, the son has left
    assert _people(db, 2020)["remaining_poor_people"] == 3
    with db.session_factory() as session:
        gone = session.get(Person, son.id)
        assert (gone.active, gone.left_on, gone.leave_reason) == (False, dt.date(2019, 5, 1), "marriage")
        notes = [e.note for e in session.query(HouseholdEvent).filter_by(household_id=household, kind="member")]
    assert any("王小" in n and "婚出" in n for n in notes) and any("王宝" in n and "出生" in n for n in notes)


def test_leaving_on_the_last_day_of_a_year_counts_in_that_year_only(db):
    add_areas(db)
    household = add_household(db, VILLAGE)
    with UnitOfWork(db, SYSTEM) as uow:
        son = service.add_person(uow, household, member("王小", "son", dt.date(2000, 1, 1),
                                                       joined_on=dt.date(2016, 12, 31)), today=dt.date(2024, 6, 1))
    with UnitOfWork(db, SYSTEM) as uow:
        service.remove_person(uow, son.id, "死亡", son.version, left_on=dt.date(2020, 1, 1), today=dt.date(2024, 6, 1))
    assert _people(db, 2015)["registered_people"] == 2
    assert _people(db, 2016)["registered_people"] == 3  # joined on the last day of 2016
    assert _people(db, 2019)["registered_people"] == 3  # left on the first day of 2020
    assert _people(db, 2020)["registered_people"] == 2


def test_a_free_reason_is_kept_as_other_and_leaving_before_joining_or_in_the_future_is_refused(db):
    add_areas(db)
    household = add_household(db, VILLAGE)
    with UnitOfWork(db, SYSTEM) as uow:
        son = service.add_person(uow, household, member("王小", "son", dt.date(2000, 1, 1),
                                                       joined_on=dt.date(2018, 1, 1)), today=dt.date(2024, 6, 1))
    for left_on, field in ((dt.date(2017, 12, 31), "left_on"), (dt.date(2024, 6, 2), "left_on")):
        with pytest.raises(Invalid) as refused, UnitOfWork(db, SYSTEM) as uow:
            service.remove_person(uow, son.id, "死亡", son.version, left_on=left_on, today=dt.date(2024, 6, 1))
        assert refused.value.field == field
    with pytest.raises(Invalid) as bad_reason, UnitOfWork(db, SYSTEM) as uow:
        service.add_person(uow, household, member("王二", "son", dt.date(2001, 1, 1), join_reason="天上掉下来"),
                           today=dt.date(2024, 6, 1))
    assert bad_reason.value.code == "registry.join_reason"
    with UnitOfWork(db, SYSTEM) as uow:
        gone = service.remove_person(uow, son.id, "分户", son.version, left_on=dt.date(2018, 1, 1),
                                     today=dt.date(2024, 6, 1))
    assert (gone.leave_reason, gone.leave_note) == ("other", "分户")
    with db.session_factory() as session:
        assert [p.name for p in queries.members_of(session, household)] == ["张大山", "李秀英"]


def test_relocation_figures_of_2016_do_not_count_who_moved_in_later(db):
    add_areas(db)
    site = add_site(db, VILLAGE)
    early, late, undated = (relocate(db, site, add_household(db, VILLAGE, members=[
        member(name, "head", dt.date(1970 + i, 5, 1))])) for i, name in enumerate(("甲", "乙", "丙")))
    with db.session_factory() as session:
        for relocated, allocated, moved in ((early, dt.date(2016, 6, 1), dt.date(2016, 12, 31)),
                                            (late, dt.date(2016, 9, 1), dt.date(2017, 1, 1))):
            session.execute(update(RelocatedHousehold).where(RelocatedHousehold.id == relocated).values(
                status="moved_in", allocated_on=allocated, moved_in_on=moved))
        session.execute(update(RelocatedHousehold).where(RelocatedHousehold.id == undated).values(status="moved_in"))
        session.commit()
    assert _relocation(db, 2015) == {"relocation_planned": 3, "relocation_allocated": 1, "relocation_moved_in": 1}
    assert _relocation(db, 2016) == {"relocation_planned": 3, "relocation_allocated": 3, "relocation_moved_in": 2}
    assert _relocation(db, 2017) == {"relocation_planned": 3, "relocation_allocated": 3, "relocation_moved_in": 3}
