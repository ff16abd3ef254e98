"""The published results of a period as an .xlsx workbook (small: one row per subject, written in the request).
No personal data is in it: branches, villages and cadres by name, scores, ranks, stars, titles and bonuses."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from fupin.incentives import rules

HEADER = ("名次", "考核对象", "区划代码", "得分", "一票否决", "星级", "称号", "奖金(元)")


def _cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def results_workbook(history: list[dict[str, Any]]) -> bytes:
    """One sheet per closed period (newest first), each a ranked table."""
    book = Workbook()
    book.remove(book.active)
    for entry in history or [{"card": None, "results": []}]:
        card = entry["card"]
        title = f"{card.period}-{card.id}" if card is not None else "无结果"
        sheet = book.create_sheet(title[:31])
        if card is not None:
            sheet.append([_cell(card.name), card.period, rules.SUBJECT_KINDS.get(card.subject_kind, ""),
                          rules.VETO_EFFECTS.get(card.veto_effect, ""), f"奖金总额 {card.bonus_pool}"])
        sheet.append(list(HEADER))
        title_name = rules.TITLES.get(card.title, "") if card is not None else ""
        for r in entry["results"]:
            sheet.append([r["rank"], _cell(r["name"]), r["area_code"], r["score"],
                          "是" if r["vetoed"] else "", r["stars"], title_name if r["titled"] else "",
                          str(r["bonus"])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
