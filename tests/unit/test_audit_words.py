"""Issue 17 item 12 on the audit log: every entity a use case audits has a name, and a capability's coded values
(a status, a kind) and change fields read as words (a plugin's `audit_words`)."""

from __future__ import annotations

import re
from pathlib import Path

from fupin.accounts.pages import describe_changes, entity_names
from fupin.core.capability import contributions

SRC = Path(__file__).resolve().parents[2] / "src" / "fupin"
AUDIT_CALL = re.compile(r'\.audit\(\s*(?:AuditAction\.\w+(?: if \w+ else AuditAction\.\w+)?|[\w.]+),\s*"([a-z_.]+)"')
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_audited_entity_has_a_name():
    audited: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        for match in AUDIT_CALL.finditer(path.read_text(encoding="utf-8")):
            audited.setdefault(match.group(1), str(path.relative_to(SRC)))
    assert len(audited) > 40, "the scan found too few audit calls: has the call's shape changed?"
    names = entity_names()
    assert {entity: where for entity, where in audited.items() if entity not in names} == {}


def test_contributed_words_are_chinese():
    seen = 0
    for owner, words in contributions("audit_words"):
        texts = [*words.entities.values(), *words.fields.values()]
        texts += [word for by_field in words.values.values() for codes in by_field.values()
                  for code, word in codes.items() if code]
        seen += len(texts)
        assert [t for t in texts if not CJK.search(t)] == [], owner
    assert seen > 100


def test_changes_read_as_words():
    lines = describe_changes({"status": {"before": "assigned", "after": "done"}, "filed_via": {"after": "cadre"},
                              "one_visit": {"after": True}}, "service_requests")
    assert lines == ["状态:办理中 → 已办结待确认", "登记方式:(空) → 干部代办", "最多跑一次:(空) → 是"]
    # the same code reads by its entity: a wish's "open" is not a request's
    assert describe_changes({"status": {"before": "open", "after": "claimed"}}, "service_wishes") == [
        "状态:待认领 → 已认领"]
    assert describe_changes({"kind": {"after": "sick_child"}}, "service_aid_duties") == ["类型:(空) → 照看生病子女"]
    nested = describe_changes({"lines": {"1": 2}, "items": [{"name": "党建", "weight": "40"}]}, "redemption")
    text = " ".join(nested)
    assert "{" not in text and "'" not in text and "[" not in text, nested
    assert describe_changes({"fields": ["id_number"]}, "persons") == ["字段:身份证号"]
    assert describe_changes({"status": {"after": "confirmed"}}, "industry_run") == ["状态:(空) → 已确认"]
    # a field reads by its entity's capability: a scorecard item's name is 名称, a person's 姓名
    assert describe_changes({"items": [{"name": "班子强", "weight": "20", "is_veto": False}]}, "scorecard") == [
        "考核项目:(名称:班子强,权重:20,一票否决项:否)"]
    assert describe_changes({"name": {"after": "张三"}}, "persons") == ["姓名:(空) → 张三"]
    assert describe_changes({"property_income": {"before": "0.00", "after": "1500.00"},
                             "detail": {"income": "property_income"}}, "households") == [
        "财产性收入:0.00 → 1500.00", "收入项:财产性收入"]
