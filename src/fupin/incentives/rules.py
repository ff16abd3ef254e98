"""Pure rules of incentives (no I/O): vocabularies, the weighted score with its one-vote veto, ranks, titles, star
ratings, the bonus split and which points expire (oldest first)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from fupin.core.money import CENT, split

# ---- points
ENTRY_KINDS = {"earned": "获得", "spent": "兑换", "expired": "到期清零", "corrected": "更正"}
TRIGGERS = {"": "人工奖励", "training_completed": "参加培训结业", "volunteering": "志愿服务"}
AWARD_LEVELS = {"village": "村干部及以上", "township": "乡镇干部及以上", "county": "县级"}
LEVEL_RANK = {"village": 0, "township": 1, "county": 2}
ROLE_LEVEL = {"village": 0, "township": 1, "county": 2, "admin": 3}
MAX_AWARD = 10_000  # points in one award; more is a typing error
MAX_QUANTITY = 99
# Accounts of the double-entry journal besides households ("household:<id>"): where points come from and go to.
ISSUED = "issued"  # the points the county has issued (its balance is minus all points ever earned)
EXPIRED = "expired"
CORRECTIONS = "corrections"


def shop_account(shop_id: int) -> str:
    return f"shop:{shop_id}"


def household_account(household_id: int) -> str:
    return f"household:{household_id}"


def may_award_at(role: str, level: str) -> bool:
    """The rule says the lowest level that may award it (village < township < county); the admin may always."""
    return ROLE_LEVEL.get(role, -1) >= LEVEL_RANK.get(level, 99)


@dataclass(frozen=True)
class Lot:
    """Points earned on one day that may expire (expires_on None: they never do)."""

    expires_on: dt.date | None
    points: int


def expiring_points(lots: Sequence[Lot], debited: int, balance: int, as_of: dt.date) -> int:
    """How many of a household's points expire on `as_of`: the points of lots whose date has come, less what was
    spent, expired or corrected away before (debits use the oldest points first), never more than the balance."""
    due = sorted((lot for lot in lots if lot.points > 0), key=lambda lot: (lot.expires_on or dt.date.max))
    left = debited
    expiring = 0
    for lot in due:
        used = min(left, lot.points)
        left -= used
        if lot.expires_on is not None and lot.expires_on <= as_of:
            expiring += lot.points - used
    return max(0, min(expiring, balance))


# ---- scorecards
SUBJECT_KINDS = {"branch": "村党支部", "village": "村", "cadre": "干部"}
VETO_EFFECTS = {"zero": "得分清零", "halve": "得分减半"}
TITLES = {"red_flag": "红旗村", "exemplar": "标兵", "five_star": "五星支部", "": "不评称号"}
HUNDRED = Decimal(100)
# 星级化管理: the lowest score of each star, with its criteria (seed 003/004: 五星村党支部, 五好村党组织书记).
STAR_CRITERIA: tuple[tuple[int, Decimal, str], ...] = (
    (5, Decimal(90), "90分以上:班子强、党员队伍强、产业发展好、治理有效、群众满意(五星)"),
    (4, Decimal(80), "80–89.99分:各项工作较好,个别方面仍需加强"),
    (3, Decimal(70), "70–79.99分:工作基本完成,有明显短板"),
    (2, Decimal(60), "60–69.99分:多项工作未达要求,须整改"),
    (1, Decimal(0), "60分以下或被一票否决:软弱涣散,列入整顿"),
)


@dataclass(frozen=True)
class ItemScore:
    weight: Decimal
    score: Decimal | None  # 0–100; None: not scored yet (counts as 0)


def weighted_score(items: Sequence[ItemScore], vetoed: bool, veto_effect: str) -> Decimal:
    """Σ weight × score ÷ 100 over the scored items (weights add up to 100), exact; a veto zeroes or halves it."""
    total = sum((item.weight * (item.score or Decimal(0)) for item in items), Decimal(0)) / HUNDRED
    if vetoed:
        total = Decimal(0) if veto_effect == "zero" else total / 2
    return total


def ranks(scores: Sequence[Decimal]) -> list[int]:
    """Competition ranks (1, 2, 2, 4) of exact scores, highest first."""
    return [1 + sum(1 for other in scores if other > score) for score in scores]


def stars(score: Decimal, vetoed: bool) -> int:
    if vetoed:
        return 1
    for count, lowest, _criteria in STAR_CRITERIA:
        if score >= lowest:
            return count
    return 1


def titled(scores: Sequence[Decimal], vetoed: Sequence[bool], top_n: int | None, min_score: Decimal | None
           ) -> list[bool]:
    """Who earns the scorecard's title (红旗村, 标兵 …): ranked within the top `top_n` (ties included), at least
    `min_score`, and not vetoed. Without either limit nobody does."""
    if top_n is None and min_score is None:
        return [False] * len(scores)
    order = ranks(scores)
    return [not veto and (top_n is None or rank <= top_n) and (min_score is None or score >= min_score)
            for score, veto, rank in zip(scores, vetoed, order, strict=True)]


def bonus_split(pool: Decimal, scores: Sequence[Decimal]) -> list[Decimal]:
    """The pool split in proportion to the scores, in cents, summing exactly to the pool (largest remainder, ties
    to the earlier subject). When every score is zero nobody gets anything."""
    if not scores:
        return []
    if pool == 0 or all(score <= 0 for score in scores):
        return [Decimal("0.00")] * len(scores)
    return split(pool, [max(score, Decimal(0)) for score in scores], CENT)


def shown(score: Decimal) -> str:
    """A score for display: two places, half up (the stored value stays exact)."""
    return str(score.quantize(CENT, rounding=ROUND_HALF_UP))
