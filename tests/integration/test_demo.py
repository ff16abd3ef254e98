import hashlib

from sqlalchemy import func, select

from fupin.accounts.models import User
from fupin.areas.service import load_package_map
from fupin.core.audit import Actor
from fupin.core.capability import capability
from fupin.core.demo import DemoContext, build_demo
from fupin.core.uow import UnitOfWork
from fupin.registry.idrules import check_id_number
from fupin.registry.models import Household, Person


def _fingerprint(db) -> str:
    """A digest of the demo rows as the ORM reads them (same Python values on both databases)."""
    from fupin.areas.models import Area

    digest = hashlib.sha256()
    with db.session_factory() as s:
        for model, order in ((Area, Area.code), (Household, Household.id), (Person, Person.id)):
            columns = [c.key for c in model.__table__.columns]
            for obj in s.scalars(select(model).order_by(order)):
                digest.update(repr(tuple(getattr(obj, c) for c in columns)).encode())
    return digest.hexdigest()


def _demo(db, seed=1, households=300):
    with UnitOfWork(db, Actor.system("test")) as uow:
        load_package_map(uow)
    return build_demo(DemoContext(db=db, seed=seed, households=households))


def test_demo_county_is_deterministic_and_realistic(db, tmp_path):
    ctx = _demo(db)
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Household)) == 300
        people = s.scalar(select(func.count()).select_from(Person))
        assert 800 < people < 1400
        numbers = s.scalars(select(Person.id_number)).all()
        assert len(set(numbers)) == len(numbers)
        assert all(check_id_number(n).ok for n in numbers)
        sexes = dict(s.execute(select(Person.sex, func.count()).group_by(Person.sex)).all())
        assert sexes["M"] > 0 and sexes["F"] > 0
        assert all(int(n[16]) % 2 == (1 if sex == "M" else 0) for n, sex in s.execute(select(Person.id_number, Person.sex)))
        statuses = dict(s.execute(select(Household.status, func.count()).group_by(Household.status)).all())
        assert statuses["exited"] > statuses.get("helped", 0) > 0
        roles = set(s.scalars(select(User.role)))
    # Clerks act for an entity or a shop: their logins come with the capabilities that keep those.
    clerks = {"entity_clerk": capability("industry").built, "shop_clerk": capability("incentives").built}
    expected = {"admin", "county", "township", "village", "grid", "auditor"} | {r for r, built in clerks.items() if built}
    assert roles == expected
    assert len(ctx.logins) == len(expected)
    first = _fingerprint(db)

    # The same seed on a fresh SQLite database gives the same rows.
    from fupin.core.db import Database
    from fupin.core.migrations import upgrade

    other = Database(f"sqlite:///{tmp_path / 'again.db'}")
    upgrade(other.engine)
    _demo(other)
    assert _fingerprint(other) == first
    other.dispose()
