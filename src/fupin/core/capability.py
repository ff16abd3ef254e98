"""Capabilities are assembled like plug-ins: each package declares one `CAPABILITY` in its plugin.py.

The list below is the one place that names the packages (it builds the API, pages, CLI, navigation, demo and
schema metadata). Besides its routes, a capability declares what it lends to the others — named selects and
queries (`provides`), indicator groups, coverage rules, data-quality rules, early-warning signals, job
handlers and the words of its audit entries (`audit_words`) — and the others reach them through `provided(name)` and `contributions(kind)`, never by importing
the package or loading a module by its name. An unknown name raises at once; a test checks that every name used
anywhere is provided by some capability.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# The order is the navigation order.
CAPABILITY_MODULES: tuple[str, ...] = (
    "indicators",
    "registry",
    "orgs",
    "pairing",
    "industry",
    "employment",
    "relocation",
    "incentives",
    "services",
    "monitoring",
    "areas",
    "accounts",
)

HOOK_KINDS = ("indicator_groups", "coverage_rules", "quality_rules", "warning_signals", "job_handlers", "audit_words",
              "background_tasks")


@dataclass
class Capability:
    name: str
    title_zh: str
    title_en: str
    summary_zh: str
    seeds: str = ""
    built: bool = False
    nav_path: str | None = None
    api_router: Any = None
    pages_router: Any = None
    cli: Any = None
    cli_commands: dict[str, Callable[..., Any]] = field(default_factory=dict)
    demo: Callable[..., Any] | None = None
    demo_order: int = 100
    nav_roles: frozenset[str] | None = None
    # ---- what the capability lends to the others
    provides: dict[str, Callable[..., Any]] = field(default_factory=dict)  # "relocation.sites_select": fn
    indicator_groups: dict[str, Callable[..., Any]] = field(default_factory=dict)  # group name: fn(ctx, figures)
    coverage_rules: list[Any] = field(default_factory=list)
    quality_rules: list[Any] = field(default_factory=list)
    warning_signals: list[Any] = field(default_factory=list)
    job_handlers: dict[str, Callable[..., Any]] = field(default_factory=dict)  # "registry.import": fn(job, params)
    # Work the job worker does between jobs: name → fn(db) → True when it did something (then it asks again).
    background_tasks: dict[str, Callable[..., bool]] = field(default_factory=dict)
    audit_words: list[Any] = field(default_factory=list)  # core.audit.AuditWords: its audit entries in words
    migration_branch: str | None = None  # the Alembic branch label of its tables (None: the foundation's chain)
    translations: str | None = None  # its catalogue: web/translations/<locale>/LC_MESSAGES/<name>.po

    @classmethod
    def of_package(cls, name: str, titles: tuple[str, str], summary_zh: str, *, seeds: str = "",
                   modules: tuple[Any, Any, Any, Any], demo_order: int, **hooks: Any) -> Capability:
        """A built capability from its four standard modules (api, pages, cli, demo): `api.router`,
        `pages.router`, `cli.app` and `demo.build` are its API, pages, commands and demo; `hooks` are the other
        fields (what it lends, its migration branch, its translations)."""
        api, pages, cli, demo = modules
        return cls(name=name, title_zh=titles[0], title_en=titles[1], summary_zh=summary_zh, seeds=seeds,
                   built=True, api_router=api.router, pages_router=pages.router, cli=cli.app, demo=demo.build,
                   demo_order=demo_order, **hooks)

    @property
    def path(self) -> str:
        return self.nav_path or f"/{self.name}"


@lru_cache
def _loaded() -> tuple[Capability, ...]:
    return tuple(importlib.import_module(f"fupin.{name}.plugin").CAPABILITY for name in CAPABILITY_MODULES)


def load_capabilities() -> list[Capability]:
    return list(_loaded())


class UnknownHook(LookupError):
    """A name no capability provides: a renamed function must fail loudly, never turn a rule into "not built"."""


@lru_cache
def _provided() -> dict[str, tuple[str, Callable[..., Any]]]:
    table: dict[str, tuple[str, Callable[..., Any]]] = {}
    for capability in _loaded():
        for name, function in capability.provides.items():
            if not name.startswith(capability.name + "."):
                raise ValueError(f"{capability.name} provides {name!r}: names start with the capability's name")
            if name in table:
                raise ValueError(f"{name!r} is provided twice")
            table[name] = (capability.name, function)
    return table


def provided(name: str) -> Callable[..., Any]:
    """The select or query another capability lends under `name` (e.g. "relocation.sites_select")."""
    try:
        return _provided()[name][1]
    except KeyError:
        raise UnknownHook(f"no capability provides {name!r} (see each plugin.py's `provides`)") from None


def provided_names() -> set[str]:
    return set(_provided())


def contributions(kind: str) -> list[tuple[str, Any]]:
    """(capability name, item) for every contribution of `kind`, in the capabilities' order."""
    if kind not in HOOK_KINDS:
        raise UnknownHook(f"unknown hook kind {kind!r}")
    out: list[tuple[str, Any]] = []
    for capability in _loaded():
        value = getattr(capability, kind)
        items = value.items() if isinstance(value, dict) else value
        out.extend((capability.name, item) for item in items)
    return out


def capability(name: str) -> Capability:
    for candidate in _loaded():
        if candidate.name == name:
            return candidate
    raise UnknownHook(f"no capability named {name!r}")
