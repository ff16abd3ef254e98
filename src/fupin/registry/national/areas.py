"""County / township / village / group names → area codes, resolved within the importer's scope.

Names are matched exactly first, then without their administrative suffix (镇, 乡, 街道, 村, 社区, 村委会 …),
so "娜姑" finds "娜姑镇". An unknown name is a row error naming the candidates in scope under the parent; a
name that matches several is ambiguous (the error names them). Each distinct name path is resolved once.

A group (组) that does not exist yet is created under its village (areas.service.create_group, numbered after
the village's last group) when the importer may create groups (`areas.group.create`: township, county and
above); for a village cadre it is a row error naming the village's groups. Decision recorded in
docs/decisions.md, "Issue 18 — national layouts".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from fupin.areas import queries as area_queries
from fupin.core.scoping import Scope
from fupin.core.uow import UnitOfWork
from fupin.registry import errors
from fupin.registry.rules import Problem

LEVEL_NAMES = {"county": "县", "township": "乡(镇)", "village": "村", "group": "组"}
_SUFFIX = re.compile(r"(村民委员会|居民委员会|村委会|居委会|街道办事处|街道|村民小组|社区|镇|乡|村|组|县|区|市)$")
MAX_OPTIONS = 12


def loose(name: str) -> str:
    name = "".join(name.split())
    return _SUFFIX.sub("", name) or name


@dataclass
class _Node:
    code: str
    name: str
    level: str
    children: list[_Node] = field(default_factory=list)


@dataclass
class AreaResolver:
    uow: UnitOfWork
    may_create_groups: bool
    nodes: dict[str, _Node] = field(default_factory=dict)
    counties: list[_Node] = field(default_factory=list)
    cache: dict[tuple[str, str, str, str], tuple[str | None, Problem | None, str]] = field(default_factory=dict)
    created: list[tuple[str, str]] = field(default_factory=list)  # (group code, name)
    loaded: set[str] = field(default_factory=set)

    @property
    def scope(self) -> Scope:
        return self.uow.scope

    @property
    def session(self) -> Session:
        return self.uow.session

    def _add(self, code: str, name: str, level: str, parent: str | None) -> _Node:
        node = self.nodes.get(code)
        if node is None:
            node = self.nodes[code] = _Node(code, name, level)
            if level == "county" and node not in self.counties:
                self.counties.append(node)
            if parent is not None and parent in self.nodes:
                self.nodes[parent].children.append(node)
        return node

    def _load(self, county_names: set[str]) -> None:
        """The counties named in the sheet (within scope) and everything under them that lies in scope."""
        prefix = self.scope.prefix
        if len(prefix) >= 6:
            for area in area_queries.path_names(self.session, prefix.ljust(12, "0")):
                if area.level in LEVEL_NAMES:
                    self._add(area.code, area.name, area.level, area.parent_code)
        else:
            stmt = area_queries.areas_select(self.scope, ("county",))
            wanted = {n for n in county_names if n}
            for code, name, level, parent in self.session.execute(stmt).all():
                if name in wanted or loose(name) in {loose(n) for n in wanted}:
                    self._add(code, name, level, parent)
        for county in list(self.counties):
            if county.code in self.loaded:
                continue
            self.loaded.add(county.code)
            inner = Scope.of_area(county.code)
            narrow = self.scope if inner.covers_scope(self.scope) else inner
            rows = self.session.execute(area_queries.areas_select(narrow, ("township", "village", "group"))
                                        .order_by("code")).all()
            for code, name, level, parent in rows:
                self._add(code, name, level, parent)

    def prepare(self, paths: set[tuple[str, str, str, str]]) -> None:
        self._load({p[0] for p in paths})

    def _pick(self, level: str, name: str, candidates: list[_Node], parent: str) -> tuple[_Node | None, Problem | None]:
        label = LEVEL_NAMES[level]
        exact = [c for c in candidates if c.name == name]
        if len(exact) == 1:
            return exact[0], None
        matches = exact or [c for c in candidates if loose(c.name) == loose(name)]
        if len(matches) == 1:
            return matches[0], None
        if matches:
            return None, Problem.of("area_code", errors.AREA_NAME_AMBIGUOUS, level=label, name=name[:40],
                                    parent=parent, options="、".join(f"{c.name}({c.code})" for c in matches[:MAX_OPTIONS]))
        options = "、".join(c.name for c in candidates[:MAX_OPTIONS]) or "无"
        if len(candidates) > MAX_OPTIONS:
            options += "……"
        return None, Problem.of("area_code", errors.AREA_NAME_UNKNOWN, level=label, name=name[:40], parent=parent,
                                options=options)

    def resolve(self, county: str, township: str, village: str, group: str) -> tuple[str | None, Problem | None, str]:
        """(code, None, shown) or (None, problem, the column it concerns)."""
        key = (county, township, village, group)
        if key in self.cache:
            return self.cache[key]
        result = self._resolve(*key)
        self.cache[key] = result
        return result

    def _resolve(self, county: str, township: str, village: str, group: str) -> tuple[str | None, Problem | None, str]:
        for level, name in (("county", county), ("township", township), ("village", village)):
            if not name:
                return None, Problem.of("area_code", errors.AREA_NAME_MISSING, level=LEVEL_NAMES[level]), LEVEL_NAMES[level]
        node, problem = self._pick("county", county, self.counties, "您的管辖范围")
        if node is None:
            return None, problem, "县"
        for level, name in (("township", township), ("village", village)):
            parent = node
            node, problem = self._pick(level, name, [c for c in parent.children if c.level == level], parent.name)
            if node is None:
                return None, problem, LEVEL_NAMES[level]
        if not group:
            return self._in_scope(node.code, village, "村")
        groups = [c for c in node.children if c.level == "group"]
        found, problem = self._pick("group", group, groups, node.name)
        if found is not None:
            return self._in_scope(found.code, group, "组")
        if problem is not None and problem.code is errors.AREA_NAME_UNKNOWN and self.may_create_groups \
                and self.scope.contains(node.code):
            from fupin.areas.service import create_group

            created = create_group(self.uow, node.code, group.strip())
            self.created.append((created.code, created.name))
            self._add(created.code, created.name, "group", node.code)
            return created.code, None, "组"
        return None, problem, "组"

    def _in_scope(self, code: str, name: str, column: str) -> tuple[str | None, Problem | None, str]:
        if self.scope.contains(code):
            return code, None, column
        return None, Problem.of("area_code", errors.AREA_NOT_AVAILABLE, area=name[:40]), column
