"""Write docs/permissions.md from the one permission table in code (src/fupin/core/permissions.py)."""

from __future__ import annotations

from pathlib import Path

from fupin.core.permissions import markdown_table

HEADER = """# 权限表 / Permission table

由代码生成,请勿手改(`python scripts/permissions_doc.py`);一项测试保证二者一致。
Generated from `src/fupin/core/permissions.py`; do not edit by hand. A test keeps the two equal.

- ✓ 在本人管辖区划内可做 / allowed anywhere in the user's area scope
- 本单位 / 本超市:只能对本人所属经营主体或爱心超市操作 / only for the user's own entity or shop
- 空白:不允许 / blank: denied. The system administrator may do everything; every write is audited.
- 流程分级:村——民主评议、村内公示;乡镇——审核;县——公告、销号(防返贫监测与贫困村/县退出同此)。

"""


def render() -> str:
    return HEADER + markdown_table()


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
