"""Demo services: requests of the demo year (2020, the dashboard's default year) in every state — confirmed on
time and late, done, reopened, assigned, open and overdue, escalated — some filed through the resettlement
community's grid; wishes open, claimed and fulfilled; a mutual-aid team for a migrant worker's family linked to the
migrant Party branch. The demo grid leader's login is bound to the first grid. Written through the use cases with
the clock injected (fixed dates), so the same seed gives the same records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fupin.core.audit import Actor
from fupin.core.capability import provided
from fupin.core.demo import DemoContext
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.services import rules, service

YEAR = 2020
DESCRIPTIONS = {
    "documents": ["补办户口本", "办理身份证换证", "办理残疾证"],
    "social_security": ["办理城乡居民医保参保", "咨询养老保险缴费", "申请临时救助"],
    "medical": ["联系县医院专家门诊", "慢性病卡办理"],
    "schooling": ["孩子转学到安置点学校", "申请雨露计划补助"],
    "employment": ["想到扶贫车间上班", "咨询外出务工岗位"],
    "housing": ["卫生间漏水需维修", "楼道灯坏了"],
    "dispute": ["与邻居宅基地纠纷调解"],
    "living": ["冬季取暖困难", "老人无人照料"],
    "other": ["想参加技能培训"],
}
WISHES = ["一个新书包", "一台电饭锅", "冬天的棉被", "一辆自行车", "老花镜一副", "孩子的课外书", "一床电热毯",
          "学习用的台灯"]
HANDLERS = ["乡镇便民服务中心", "村两委", "县医保局驻乡工作站", "社区服务站", "乡镇人社所"]


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), dt.UTC)


def build(ctx: DemoContext) -> None:
    from fupin.registry.queries import households_select

    rng = ctx.rng("services")
    db = ctx.db
    demo = Actor.system("演示:便民服务")

    def uow() -> UnitOfWork:
        return UnitOfWork(db, demo)

    with db.session_factory() as session:
        county = households_select(Scope.of_area(ctx.county_code)).subquery()
        households = [int(r[0]) for r in session.execute(select(county.c.id).order_by(county.c.id))]
        placed = provided("relocation.grid_households_select")(Scope.of_area(ctx.county_code)).subquery()
        in_grids = session.execute(select(placed.c.household_id, placed.c.grid_id)
                                   .order_by(placed.c.grid_id, placed.c.household_id)).all()
        members = provided("orgs.members_select")(Scope.of_area(ctx.county_code)).subquery()
        member_ids = [int(r[0]) for r in session.execute(select(members.c.id).order_by(members.c.id).limit(40))]
        categories = [c for c, _n, _d in rules.DEFAULT_CATEGORIES]
    if not households:
        return
    first_grid = int(in_grids[0][1]) if in_grids else None
    grid_households = [int(h) for h, g in in_grids if g == first_grid]

    # ---- the grid leader's login serves the first grid
    if first_grid is not None and any(login.username == "demo_grid" for login in ctx.logins):
        service.bind_grid_leader(uow(), "demo_grid", first_grid)

    # ---- requests of the demo year, each taken as far as its planned state
    plan = (["confirmed"] * 14 + ["confirmed_late"] * 3 + ["done"] * 4 + ["reopened"] * 2 + ["assigned"] * 4
            + ["open"] * 3 + ["overdue"] * 4)
    rng.shuffle(plan)
    pool = rng.sample(households, k=min(len(households), len(plan)))
    targets = grid_households[:6] + [h for h in pool if h not in grid_households]
    states: dict[str, int] = {}
    for household, state in zip(targets, plan, strict=False):
        category = rng.choice(categories)
        filed = dt.date(YEAR, rng.randint(1, 11), rng.randint(1, 28))
        request = service.file_request(uow(), household, category=category,
                                       description=rng.choice(DESCRIPTIONS[category]),
                                       filed_via=rng.choice(["household", "cadre", "grid"]), now=_at(filed))
        days = request.deadline_days
        states[state] = states.get(state, 0) + 1
        if state in ("open", "overdue"):
            continue
        assigned = filed + dt.timedelta(days=rng.randint(0, 1))
        service.assign_request(uow(), request.id, handler=rng.choice(HANDLERS), now=_at(assigned))
        if state == "assigned":
            continue
        late = state == "confirmed_late"
        done = filed + dt.timedelta(days=days + rng.randint(1, 4) if late else rng.randint(1, days))
        service.complete_request(uow(), request.id, result="已办理,群众知晓", one_visit=rng.random() < 0.7,
                                 now=_at(done))
        if state == "done":
            continue
        if state == "reopened":
            service.reopen_request(uow(), request.id, reason="群众反映问题未彻底解决",
                                   now=_at(done + dt.timedelta(days=1)))
            continue
        satisfaction = rng.choices(list(rules.SATISFACTION), weights=[80, 15, 5])[0]
        service.confirm_request(uow(), request.id, satisfaction=satisfaction,
                                now=_at(done + dt.timedelta(days=rng.randint(0, 3))))
    escalated = service.escalate_overdue(uow(), now=_at(dt.date(YEAR, 12, 31)))

    # ---- wishes: open, claimed by Party members, fulfilled
    wish_households = grid_households[6:9] + rng.sample(households, k=min(len(households), 8))
    counts = {"open": 0, "claimed": 0, "fulfilled": 0}
    for index, household in enumerate(wish_households):
        posted = dt.date(YEAR, rng.randint(3, 10), rng.randint(1, 28))
        wish = service.post_wish(uow(), household, title=WISHES[index % len(WISHES)], now=_at(posted))
        outcome = ("open", "claimed", "fulfilled")[index % 3]
        if outcome == "open" or not member_ids:
            counts["open"] += 1
            continue
        member = member_ids[index % len(member_ids)]
        claimed = posted + dt.timedelta(days=rng.randint(1, 10))
        service.claim_wish(uow(), wish.id, member_id=member, now=_at(claimed))
        if outcome == "fulfilled":
            service.fulfil_wish(uow(), wish.id, evidence=f"照片{index + 1:03d};户主签收",
                                now=_at(claimed + dt.timedelta(days=rng.randint(1, 14))))
        counts[outcome] += 1

    # ---- a mutual-aid team for a migrant worker's family
    team_household = grid_households[0] if grid_households else households[0]
    team = service.create_team(uow(), team_household, name="“家中事我来帮”互助组", worker_name="外出务工人员",
                               migrant_org_id=(ctx.facts.get("org_ids") or {}).get("migrant"),
                               members=["李桂英", "张永富", "王春梅"], now=_at(dt.date(YEAR, 3, 1)))
    with db.session_factory() as session:
        from fupin.services.queries import get_team

        helpers = [m.id for m in get_team(session, team.id, Scope.everything()).members]
    duties = [("farm_work", "帮助春耕犁地", dt.date(YEAR, 4, 10), "done"),
              ("elderly", "每周看望独居老人", dt.date(YEAR, 6, 30), "done"),
              ("sick_child", "孩子发烧送医", dt.date(YEAR, 9, 5), "not_done"),
              ("farm_work", "秋收帮忙掰玉米", dt.date(YEAR, 10, 20), "open")]
    for index, (kind, text, due, outcome) in enumerate(duties):
        duty = service.assign_duty(uow(), team.id, kind=kind, helper_id=helpers[index % len(helpers)], due_on=due,
                                   description=text)
        if outcome != "open":
            service.close_duty(uow(), duty.id, outcome=outcome, on=due, now=_at(due))

    ctx.facts["services_team_id"] = team.id
    ctx.facts["services_grid_id"] = first_grid
    confirmed = states.get("confirmed", 0) + states.get("confirmed_late", 0)
    ctx.summary.append(f"便民服务:{YEAR}年诉求{sum(states.values())}件(群众确认{confirmed}件,逾期升级{len(escalated)}件),"
                       f"微心愿{sum(counts.values())}个(已实现{counts['fulfilled']}个),务工家庭互助组1个")
