"""The indicator catalogue: every indicator declared once.

A *figure* is an additive count computed by one set-based query of its group (GROUP BY the area-code prefix);
an *indicator* is either a figure or a ratio of two figures (numerator ÷ denominator), so every rate is
recomputed from the summed counts at each level and is never an average of child rates.
Each indicator names the capability that owns it (`owner`); that capability's plugin declares the indicator
group computing its figures. While the owner says `built=False` its indicators answer "尚未建成 / not built
yet", never a zero (indicators/engine.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    definition: str
    unit: str
    seed: str
    owner: str
    numerator: str | None = None  # figure codes; None for a plain count (the indicator is its own figure)
    denominator: str | None = None
    scale: int = 100  # ratios are shown as percent (×100) unless scale says otherwise

    @property
    def additive(self) -> bool:
        return self.denominator is None

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None


def _count(code: str, zh: str, en: str, definition: str, owner: str, seed: str = "",
           unit: str = "户") -> Indicator:
    return Indicator(code, zh, en, definition, unit, seed, owner)


def _rate(code: str, zh: str, en: str, definition: str, owner: str, numerator: str, denominator: str,
          seed: str = "") -> Indicator:
    return Indicator(code, zh, en, definition, "%", seed, owner, numerator, denominator)


INDICATORS: tuple[Indicator, ...] = (
    # registry -------------------------------------------------------------------------------------------
    _count("registered_households", "建档立卡户数", "Registered households",
           "所选年度末已登记的建档立卡户(含已脱贫;按登记年度)", "registry", "全部"),
    _count("registered_people", "建档立卡人口", "Registered people",
           "建档立卡户的在册成员", "registry", "全部", "人"),
    _count("remaining_poor_households", "未脱贫户数", "Remaining poor households",
           "所选年度末仍未脱贫的户:已登记,且状态为已识别、帮扶中、拟退出或返贫,或在该年度之后才脱贫", "registry", "全部"),
    _count("remaining_poor_people", "未脱贫人口", "Remaining poor people",
           "未脱贫户的在册成员", "registry", "全部", "人"),
    _count("rural_population", "农村户籍人口", "Rural registered population",
           "统计部门的农村户籍人口(本模块录入,见 fupin indicators population)", "indicators",
           "全部", "人"),
    _rate("poverty_incidence", "贫困发生率", "Poverty incidence",
          "未脱贫人口 ÷ 农村户籍人口", "indicators", "remaining_poor_people", "rural_population",
          "全部"),
    _count("exited_households_year", "当年脱贫户数", "Households exited in the year",
           "已脱贫(含脱贫后监测中)且脱贫年度为所选年度的户", "registry", "全部"),
    _count("exited_people_year", "当年脱贫人口", "People exited in the year",
           "当年脱贫户的在册成员", "registry", "全部", "人"),
    _count("eligible_not_exited", "达到退出标准未退出户数", "Eligible to exit, not exited",
           "未脱贫户中:所选年度人均纯收入高于扶贫标准,且两不愁三保障与饮水安全均达标", "registry", "全部"),
    # 两不愁三保障 ------------------------------------------------------------------------------------------
    _count("checked_households", "已核查户数", "Households checked",
           "所选年度有两不愁三保障核查记录的户", "registry", "全部"),
    *[_count(f"{item}_ok_households", f"{zh}达标户数", f"{en} met",
             f"所选年度核查中{zh}达标的户", "registry", "全部")
      for item, zh, en in (("food", "不愁吃", "Food"), ("clothing", "不愁穿", "Clothing"),
                           ("education", "义务教育有保障", "Education"), ("medical", "基本医疗有保障", "Medical"),
                           ("housing", "住房安全有保障", "Housing"), ("water", "饮水安全", "Water"))],
    *[_rate(f"{item}_pass_rate", f"{zh}达标率", f"{en} pass rate", f"{zh}达标户数 ÷ 已核查户数", "registry", f"{item}_ok_households", "checked_households", "全部")
      for item, zh, en in (("food", "不愁吃", "Food"), ("clothing", "不愁穿", "Clothing"),
                           ("education", "义务教育有保障", "Education"), ("medical", "基本医疗有保障", "Medical"),
                           ("housing", "住房安全有保障", "Housing"), ("water", "饮水安全", "Water"))],
    # pairing ----------------------------------------------------------------------------------------------
    _count("paired_households", "有帮扶责任人的未脱贫户", "Remaining poor households with a helper",
           "未脱贫户中在参考日有在岗结对帮扶干部的户", "pairing", "003"),
    _rate("pairing_coverage", "结对帮扶覆盖率", "Pairing coverage",
          "有帮扶责任人的未脱贫户 ÷ 未脱贫户", "pairing", "paired_households",
          "remaining_poor_households", "003"),
    _count("visited_30d_households", "近30天走访的未脱贫户", "Remaining poor visited in the last 30 days",
           "未脱贫户中最近一次走访在参考日前30天内的户", "pairing", "003"),
    _rate("visit_recency_rate", "近30天走访率", "Visited within 30 days",
          "近30天走访的未脱贫户 ÷ 未脱贫户", "pairing", "visited_30d_households",
          "remaining_poor_households", "003"),
    # orgs (coverage rules, folded up every level like the other figures) --------------------------------------------
    _rate("org_village_branch", "行政村党支部覆盖率", "Villages with a branch",
          "有党支部的行政村 ÷ 行政村(覆盖规则 village_branch)", "orgs", "org_village_branch_covered", "org_village_branch_total", "000, 004"),
    _rate("org_village_cooperative", "党支部领办合作社覆盖率", "Villages with a branch-led cooperative",
          "有建在合作社/产业链上党组织的行政村 ÷ 行政村(覆盖规则 village_cooperative)", "orgs",
          "org_village_cooperative_covered", "org_village_cooperative_total", "001, 004"),
    _rate("org_site_org", "安置点党组织覆盖率", "Sites covered by a Party organisation",
          "有党组织覆盖的安置点 ÷ 安置点(覆盖规则 site_org)", "orgs", "org_site_org_covered", "org_site_org_total", "000"),
    _rate("org_floating_member_managed", "流动党员管理覆盖率", "Floating members managed",
          "有党组织管理的流动党员 ÷ 流动党员(覆盖规则 floating_member_managed)", "orgs", "org_floating_member_managed_covered",
          "org_floating_member_managed_total", "000, 002"),
    # employment -------------------------------------------------------------------------------------------
    _count("labour_force", "劳动力人数", "Labour force", "就业模块劳动力台账中的人", "employment",
           "002", "人"),
    _count("employed", "已就业人数", "Employed", "所选年度内有在岗就业记录的劳动力", "employment",
           "002", "人"),
    _count("transfer_employed", "转移就业人数", "Transfer-employed",
           "所选年度在县内、县外省内或省外务工(不含在家自主经营)", "employment", "002", "人"),
    _rate("employment_rate", "就业率", "Employment rate", "已就业人数 ÷ 劳动力人数", "employment", "employed",
          "labour_force", "002"),
    _rate("transfer_rate", "转移就业率", "Transfer-employment rate", "转移就业人数 ÷ 劳动力人数", "employment", "transfer_employed", "labour_force", "002"),
    _count("households_employed", "有就业人员户数", "Households with an employed member",
           "所选年度至少一名成员就业的户", "employment", "002"),
    # relocation -------------------------------------------------------------------------------------------
    _count("relocation_sites", "安置点个数", "Resettlement sites", "区域内的易地扶贫搬迁安置点", "relocation", "000", "个"),
    _count("relocation_planned", "计划搬迁户数", "Households planned to relocate",
           "安置点登记的搬迁户(全部状态)", "relocation", "000"),
    _count("relocation_allocated", "已分房户数", "Households allocated a flat", "已分配或已入住的搬迁户",
           "relocation", "000"),
    _count("relocation_moved_in", "已入住户数", "Households moved in", "已入住的搬迁户", "relocation",
           "000"),
    _rate("relocation_moved_in_rate", "搬迁入住率", "Moved-in rate", "已入住户数 ÷ 计划搬迁户数", "relocation", "relocation_moved_in", "relocation_planned", "000"),
    _count("grids", "网格数", "Grids", "安置点网格(社区—网格—户长)", "relocation", "000", "个"),
    _count("grid_leaders", "网格长人数", "Grid leaders", "有网格长的网格", "relocation", "000", "人"),
    # capabilities not built yet ---------------------------------------------------------------------------
    _count("cooperatives", "合作社个数", "Cooperatives", "党支部领办合作社", "industry", "001", "个"),
    _count("cooperative_members", "合作社社员户数", "Cooperative member households", "入社的建档立卡户", "industry", "001"),
    _count("land_transferred_mu", "土地流转面积(亩)", "Land transferred (mu)", "流转入社的土地", "industry", "001", "亩"),
    _count("dividends_paid", "分红金额(元)", "Dividends paid (yuan)", "合作社向社员分红", "industry",
           "001", "元"),
    _count("villages_collective_income_met", "集体经济收入达标村数", "Villages with collective income ≥ target",
           "村集体经济收入达到目标的村", "industry", "004", "个"),
    _count("points_issued", "积分发放", "Points issued", "爱心超市积分发放", "incentives", "005", "分"),
    _count("points_redeemed", "积分兑换", "Points redeemed", "爱心超市积分兑换", "incentives", "005",
           "分"),
    _count("requests_done_on_time", "按时办结诉求件数", "Requests done on time",
           "当年受理的群众诉求中,在办理时限内办结的件数(有困难找支部)", "services", "004", "件"),
    _count("requests_received", "受理诉求件数", "Requests received", "当年登记的群众诉求", "services", "004", "件"),
    _count("requests_overdue", "逾期诉求件数", "Requests overdue",
           "当年受理的诉求中,超过办理时限仍未办结或逾期办结的件数", "services", "004", "件"),
    _rate("requests_on_time_rate", "诉求按时办结率", "Requests done on time (share)",
          "按时办结件数 ÷ 受理件数", "services", "requests_done_on_time", "requests_received", "004"),
    _rate("requests_one_visit_rate", "最多跑一次比例", "Done in at most one visit",
          "最多跑一次办结件数 ÷ 办结件数", "services", "requests_one_visit", "requests_done", "004"),
    _rate("requests_satisfaction_rate", "诉求办理满意率", "Satisfaction with requests",
          "群众确认“满意”件数 ÷ 群众确认件数", "services", "requests_satisfied", "requests_confirmed", "004"),
    _count("wishes_fulfilled", "微心愿实现个数", "Wishes fulfilled", "当年实现的群众微心愿", "services", "004", "个"),
    _count("monitored_unstable", "脱贫不稳定户", "Monitored: unstable exited", "监测对象:脱贫不稳定户",
           "monitoring", "全部"),
    _count("monitored_marginal", "边缘易致贫户", "Monitored: marginal", "监测对象:边缘易致贫户", "monitoring", "全部"),
    _count("monitored_sudden", "突发严重困难户", "Monitored: sudden hardship", "监测对象:突发严重困难户",
           "monitoring", "全部"),
    _count("monitored_risk_cleared", "已消除风险户", "Risk cleared", "当年消除风险的监测户", "monitoring", "全部"),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
