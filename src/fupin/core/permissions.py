"""The one permission table: role × action for every capability (DESIGN §1).

Every use case that writes (and every read that hands out personal data in bulk) asks
`uow.require(action, …)` first; the table below is the only place that says who may. `docs/permissions.md` is
generated from it (`python scripts/permissions_doc.py`) and a test keeps the two equal.

Workflow steps belong to levels: the village proposes and publicises (民主评议, 村内公示), the township reviews
(审核), the county announces and removes (公告, 销号); the same split holds for monitoring and area exit.
Clerks act only inside their own entity or shop; the auditor reads, masked, and writes nothing. The system
administrator may do everything (and is audited like everyone else).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fupin.core.roles import Role


class Grant(StrEnum):
    any = "any"  # anywhere in the user's area scope
    own_entity = "own_entity"  # only for the entity (cooperative, enterprise …) named on the user
    own_shop = "own_shop"  # only for the love supermarket named on the user


@dataclass(frozen=True)
class Permission:
    action: str
    zh: str
    en: str
    grants: dict[Role, Grant]

    def grant_for(self, role: str) -> Grant | None:
        try:
            return self.grants.get(Role(role))
        except ValueError:
            return None


A, C, T, V, G = Role.admin, Role.county, Role.township, Role.village, Role.grid
E, S, AU = Role.entity_clerk, Role.shop_clerk, Role.auditor

ALL_ROLES = (A, C, T, V, G, E, S, AU)
STAFF = (A, C, T, V)  # the cadres who keep the registry
ABOVE_VILLAGE = (A, C, T)
COUNTY = (A, C)


def _p(action: str, zh: str, en: str, roles: tuple[Role, ...], *, own_entity: bool = False,
       own_shop: bool = False) -> Permission:
    grants = {role: Grant.any for role in roles}
    if own_entity:
        grants[E] = Grant.own_entity
    if own_shop:
        grants[S] = Grant.own_shop
    return Permission(action, zh, en, grants)


_TABLE: tuple[Permission, ...] = (
    # ---- accounts
    _p("accounts.user.manage", "管理用户(新建、停用、重置密码、解锁)", "manage users", COUNTY),
    _p("accounts.self", "修改自己的密码、查看与吊销自己的令牌", "change one's password, list and revoke one's tokens",
       ALL_ROLES),
    _p("accounts.audit.read", "查看审计日志", "read the audit log", (A, C, T, V, AU)),
    _p("accounts.keys.rotate", "轮换查询密钥", "rotate the look-up key", (A,)),
    # ---- areas
    _p("areas.import", "导入区划", "import areas", (A,)),
    _p("areas.group.create", "新建村民小组", "create a village group", ABOVE_VILLAGE),
    # ---- registry
    _p("registry.household.create", "新建贫困户(建档立卡)", "register a household", STAFF),
    _p("registry.household.update", "修改贫困户信息", "edit a household", STAFF),
    _p("registry.member.edit", "增加、修改、移除家庭成员", "add, edit or remove members", STAFF),
    _p("registry.income.record", "录入收入", "record income", STAFF),
    _p("registry.check.record", "录入两不愁三保障核查", "record a 两不愁三保障 check", STAFF),
    _p("registry.measure.add", "录入帮扶措施", "record a help measure", STAFF),
    _p("registry.visit.add", "录入走访", "log a visit", (A, C, T, V, G)),
    _p("registry.status.change", "变更贫困户状态", "change a household's status", STAFF),
    _p("registry.exit.democratic_appraisal", "退出程序:民主评议(村)", "exit: democratic appraisal", (A, V)),
    _p("registry.exit.village_publicity", "退出程序:村内公示(村)", "exit: village publicity", (A, V)),
    _p("registry.exit.township_review", "退出程序:乡镇审核", "exit: township review", (A, T)),
    _p("registry.exit.county_announcement", "退出程序:县级公告", "exit: county announcement", COUNTY),
    _p("registry.exit.removal", "退出程序:销号(县)", "exit: removal from the register", COUNTY),
    _p("registry.import", "导入建档立卡数据", "import the registry", STAFF),
    _p("registry.export", "导出建档立卡数据(按角色脱敏)", "export the registry (masked per role)", ALL_ROLES),
    _p("registry.poverty_line.set", "设置扶贫标准", "set poverty lines", COUNTY),
    # ---- orgs
    _p("orgs.org.manage", "新建、修改、调整、撤销党组织", "create, edit, move or dissolve Party organisations",
       ABOVE_VILLAGE),
    _p("orgs.member.manage", "登记党员、设置党员中心户和流动党员的管理组织", "register Party members and set who manages a floating member", STAFF),
    _p("orgs.cadre.manage", "登记、调整帮扶干部", "register and end cadres", ABOVE_VILLAGE),
    _p("orgs.import", "导入干部、党员", "import cadres and members", ABOVE_VILLAGE),
    _p("orgs.export", "导出全覆盖核查表、干部名单(按角色脱敏)", "export coverage gaps and cadre lists (masked per role)",
       STAFF + (AU,)),
    # ---- pairing
    _p("pairing.plan.compute", "计算结对方案", "compute a pairing plan", ABOVE_VILLAGE),
    _p("pairing.plan.apply", "应用结对方案", "apply a pairing plan", ABOVE_VILLAGE),
    _p("pairing.pair.manage", "结对、解除结对", "pair and end pairs", ABOVE_VILLAGE),
    _p("pairing.org_pair.manage", "党组织结对", "pair organisations", COUNTY + (T,)),
    _p("pairing.org_help.record", "录入党组织结对帮扶事项", "record organisation help", STAFF),
    # ---- industry
    _p("industry.entity.manage", "登记、修改经营主体", "register and edit entities", ABOVE_VILLAGE,
       own_entity=True),
    _p("industry.membership.manage", "登记成员与入股、退出", "manage memberships", STAFF, own_entity=True),
    _p("industry.land.manage", "登记土地流转合同与租金", "manage land transfer", STAFF, own_entity=True),
    _p("industry.distribution.preview", "试算收益分配", "preview a distribution", ABOVE_VILLAGE,
       own_entity=True),
    _p("industry.distribution.confirm", "确认收益分配(不可更改)", "confirm a distribution", COUNTY + (T,)),
    _p("industry.collective_income.record", "录入村集体经济收入", "record collective income", STAFF),
    _p("industry.import", "导入经营主体、成员、土地合同", "import entities, members, land", ABOVE_VILLAGE,
       own_entity=True),
    # ---- employment
    _p("employment.worker.manage", "登记劳动力", "register workers", STAFF + (G,)),
    _p("employment.placement.manage", "登记、结束就业", "record and end placements", STAFF, own_entity=True),
    _p("employment.station.manage", "设立就业服务站", "set up employment stations", ABOVE_VILLAGE),
    _p("employment.opening.manage", "发布岗位、推荐就业", "post openings and accept matches", ABOVE_VILLAGE,
       own_entity=True),
    _p("employment.course.manage", "开设培训班", "run training courses", ABOVE_VILLAGE),
    _p("employment.attendance.record", "登记培训报名与结业", "record training attendance", STAFF),
    _p("employment.export", "导出劳动力台账(按角色脱敏)", "export the labour registry (masked per role)", ALL_ROLES),
    # ---- relocation
    _p("relocation.site.manage", "新建安置点、楼栋", "create sites and buildings", COUNTY),
    _p("relocation.household.manage", "登记搬迁户、分房、入住、拆旧、三地三保三就", "manage relocated households",
       STAFF),
    _p("relocation.lottery.draw", "摇号分房", "draw the housing lottery", COUNTY),
    _p("relocation.grid.manage", "划分网格、指定网格长、调整网格", "manage grids", ABOVE_VILLAGE + (V,)),
    _p("relocation.export", "导出搬迁户台账(按角色脱敏)", "export relocated households (masked per role)",
       ALL_ROLES),
    # ---- incentives
    _p("incentives.rule.manage", "设置积分规则", "set point rules", COUNTY),
    _p("incentives.points.award", "奖励积分", "award points", STAFF),
    _p("incentives.points.correct", "更正、清零积分", "correct or expire points", ABOVE_VILLAGE),
    _p("incentives.shop.manage", "设立爱心超市", "set up love supermarkets", ABOVE_VILLAGE),
    _p("incentives.goods.manage", "管理商品与库存、登记捐赠", "manage goods, stock and donations", ABOVE_VILLAGE,
       own_shop=True),
    _p("incentives.redeem", "积分兑换商品", "redeem points for goods", ABOVE_VILLAGE + (V,), own_shop=True),
    _p("incentives.scorecard.manage", "设置考核评分表", "define scorecards", COUNTY),
    _p("incentives.score.record", "考核打分、一票否决", "score and veto", ABOVE_VILLAGE),
    _p("incentives.period.close", "考核期结账(积分到期、评比排名、奖金分配)", "close a period", COUNTY),
    # ---- services
    _p("services.category.configure", "设置诉求类别与办理时限", "configure request categories", COUNTY),
    _p("services.request.file", "登记诉求(代群众)", "file a request", STAFF + (G,)),
    _p("services.request.assign", "交办诉求", "assign a request", ABOVE_VILLAGE),
    _p("services.request.complete", "办结诉求", "mark a request done", STAFF),
    _p("services.request.confirm", "登记群众确认或重新办理", "record the household's confirmation",
       STAFF + (G,)),
    _p("services.request.escalate", "逾期诉求升级", "escalate overdue requests", ABOVE_VILLAGE),
    _p("services.wish.post", "登记微心愿", "post a wish", STAFF + (G,)),
    _p("services.wish.claim", "认领、完成微心愿", "claim and fulfil wishes", STAFF),
    _p("services.mutual_aid.manage", "组建互助组、分派与登记互助事项", "run mutual-aid teams", STAFF + (G,)),
    _p("services.grid_leader.bind", "为网格长账号绑定网格", "bind a grid leader's login to a grid", STAFF),
    # ---- monitoring (防返贫): the village finds and appraises, the township decides
    _p("monitoring.start", "发现并纳入监测(提出)", "start monitoring a household", STAFF + (G,)),
    _p("monitoring.step.verification", "监测程序:入户核实(村)", "monitoring: verification", (A, V)),
    _p("monitoring.step.democratic_appraisal", "监测程序:民主评议(村)", "monitoring: appraisal", (A, V)),
    _p("monitoring.step.publicity", "监测程序:村内公示(村)", "monitoring: publicity", (A, V)),
    _p("monitoring.step.approval", "监测程序:乡镇审核确定", "monitoring: township approval", (A, T)),
    _p("monitoring.measure.add", "录入监测帮扶措施", "record monitoring help", STAFF),
    _p("monitoring.risk.clear", "风险消除(乡镇审核)", "clear the risk (township)", (A, T)),
    _p("monitoring.threshold.set", "设置监测标准", "set monitoring thresholds", COUNTY),
    # ---- indicators and area exit: the township proposes a village's exit, the county checks, publicises
    # and approves; a county's exit is proposed by the county and decided above it (checked in the use case)
    _p("indicators.population.set", "录入农村户籍人口", "set rural population", COUNTY),
    _p("indicators.area_exit.proposal", "贫困村/县退出:提出", "area exit: proposal", COUNTY + (T,)),
    _p("indicators.area_exit.checks", "贫困村/县退出:核查", "area exit: checks", COUNTY),
    _p("indicators.area_exit.publicity", "贫困村/县退出:公示", "area exit: publicity", COUNTY),
    _p("indicators.area_exit.approval", "贫困村/县退出:审批", "area exit: approval", COUNTY),
    _p("indicators.area_exit.survey", "录入县级退出抽查", "record the county-exit survey", COUNTY),
    _p("indicators.report", "生成上报报表与工作总结", "generate reports", ALL_ROLES),
    # ---- jobs
    _p("jobs.read_all", "查看所有人的后台任务", "see everyone's jobs", (A,)),
)

PERMISSIONS: dict[str, Permission] = {p.action: p for p in _TABLE}
if len(PERMISSIONS) != len(_TABLE):  # pragma: no cover - caught by the import of this module in any test
    raise RuntimeError("an action is declared twice in the permission table")


def permission(action: str) -> Permission:
    """The table's row for `action`; an unknown action is a programming error, never a silent allow."""
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"action {action!r} is not in the permission table (core/permissions.py)") from None


def grant(role: str, action: str) -> Grant | None:
    return permission(action).grant_for(role)


# Actions that change nothing: a role holding only these is read-only (pages show it no forms).
READ_ONLY_ACTIONS = frozenset({"accounts.self", "accounts.audit.read", "registry.export", "indicators.report",
                               "jobs.read_all", "orgs.export", "employment.export", "relocation.export"})


def may_write(role: str) -> bool:
    return any(action not in READ_ONLY_ACTIONS for action in allowed_actions(role))


def allowed_actions(role: str) -> list[str]:
    return [action for action, p in PERMISSIONS.items() if p.grant_for(role) is not None]


def markdown_table() -> str:
    """The table as Markdown, for docs/permissions.md (generated, and compared by a test)."""
    from fupin.core.roles import ROLE_NAMES_ZH

    head = "| 操作 action | " + " | ".join(f"{ROLE_NAMES_ZH[r]}<br>`{r.value}`" for r in ALL_ROLES) + " |"
    rule = "|---|" + "---|" * len(ALL_ROLES)
    marks = {Grant.any: "✓", Grant.own_entity: "本单位", Grant.own_shop: "本超市"}
    lines = [head, rule]
    for p in _TABLE:
        cells = [marks[p.grants[r]] if r in p.grants else "" for r in ALL_ROLES]
        lines.append(f"| {p.zh}<br>`{p.action}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
