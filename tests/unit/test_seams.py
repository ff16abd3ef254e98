"""Seams are named, and every name resolves: actions in the permission table, hooks some capability provides."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from fupin.core.capability import HOOK_KINDS, contributions, provided, provided_names
from fupin.core.permissions import PERMISSIONS

SRC = Path(__file__).resolve().parents[2] / "src" / "fupin"
ROOT = SRC.parents[1]


def _parse(source: str) -> ast.AST:
    # CPython 3.11 can raise "AST constructor recursion depth mismatch" when another thread of the process (a
    # job worker of an earlier test) compiles at the same moment; parsing again is enough.
    for _attempt in range(5):
        try:
            return ast.parse(source)
        except SystemError:
            continue
    return ast.parse(source)


def _string_calls(function_names: set[str]) -> list[tuple[Path, int, str]]:
    found = []
    for path in SRC.rglob("*.py"):
        tree = _parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            first = node.args[0]
            if name in function_names and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((path.relative_to(SRC), node.lineno, first.value))
    return found


def test_every_action_asked_for_is_in_the_permission_table():
    used = _string_calls({"require", "may"})
    assert used, "the scan found no permission checks at all"
    unknown = [(str(p), line, action) for p, line, action in used if action not in PERMISSIONS]
    assert unknown == []


def test_every_hook_used_is_provided_by_a_capability():
    used = _string_calls({"provided"})
    assert used, "the scan found no hook look-ups at all"
    missing = [(str(p), line, name) for p, line, name in used if name not in provided_names()]
    assert missing == []


def test_an_unknown_hook_raises():
    with pytest.raises(LookupError):
        provided("registry.no_such_select")
    with pytest.raises(LookupError):
        contributions("no_such_kind")
    for kind in HOOK_KINDS:
        contributions(kind)


def test_the_permission_doc_is_generated_from_the_table():
    spec = importlib.util.spec_from_file_location("permissions_doc", ROOT / "scripts" / "permissions_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8") == module.render(), \
        "run: python scripts/permissions_doc.py"


def test_the_architecture_doc_lists_every_capabilitys_hooks():
    spec = importlib.util.spec_from_file_location("architecture_doc", ROOT / "scripts" / "architecture_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert current == module.render(current), "run: python scripts/architecture_doc.py"


def test_every_setting_is_documented_in_the_readme():
    from fupin.core.settings import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f"FUPIN_{name.upper()}" for name in Settings.model_fields if f"FUPIN_{name.upper()}" not in readme]
    assert missing == []
