"""One demo login per role, scoped to the demo county's areas."""

from __future__ import annotations

from fupin.accounts.rules import ROLE_NAMES_ZH, Role
from fupin.accounts.service import create_user
from fupin.areas.queries import path_names
from fupin.core.audit import Actor
from fupin.core.capability import provided
from fupin.core.demo import DemoContext, DemoLogin
from fupin.core.uow import UnitOfWork


def demo_password(role: str) -> str:
    return f"demo-{role}-2026"


def existing_logins(db) -> list[DemoLogin]:  # type: ignore[no-untyped-def]
    """The demo logins of a database where the demo was built before (their passwords are the demo's)."""
    from sqlalchemy import select

    from fupin.accounts.models import User

    with db.session_factory() as session:
        users = session.scalars(select(User).where(User.username.like("demo_%") | (User.username == "admin")))
        return [DemoLogin(u.username, demo_password(u.role), u.role, u.area_code, u.display_name) for u in users]


def build(ctx: DemoContext) -> None:
    first_village = ctx.facts["village_codes"][0]
    areas = {
        Role.admin: None,
        Role.county: ctx.county_code,
        Role.township: ctx.facts["first_township_code"],
        Role.village: first_village,
        Role.grid: ctx.facts["site_code"],
        Role.entity_clerk: ctx.county_code,
        Role.shop_clerk: ctx.facts["first_township_code"],
        Role.auditor: ctx.county_code,
    }
    # Clerks act for one entity or shop: the industry and incentives demos name theirs in the facts.
    units = {Role.entity_clerk: {"entity_id": ctx.facts.get("demo_entity_id")},
             Role.shop_clerk: {"shop_id": ctx.facts.get("demo_shop_id")}}
    with UnitOfWork(ctx.db, Actor.system("demo")) as uow:
        for role, area_code in areas.items():
            unit = units.get(role, {})
            if unit and None in unit.values():
                ctx.summary.append(f"未创建{ROLE_NAMES_ZH[role]}演示账号:其所属单位尚未建成")
                continue
            username = "admin" if role == Role.admin else f"demo_{role.value}"
            area_name = "全国" if area_code is None else path_names(uow.session, area_code)[-1].name
            user = create_user(uow, username=username, password=demo_password(role.value), role=role.value,
                               area_code=area_code, display_name=f"{ROLE_NAMES_ZH[role]}(演示)", **unit)
            if role == Role.village and ctx.facts.get("demo_cadre_id"):
                # The village login is a cadre's: his visits count for his pairs (orgs lends the link).
                provided("orgs.link_cadre_account")(uow, ctx.facts["demo_cadre_id"], user.id)
            ctx.logins.append(DemoLogin(username, demo_password(role.value), role.value, area_code, area_name))
