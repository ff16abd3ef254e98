"""Capabilities are assembled like plug-ins: each package declares one `CAPABILITY` in its plugin.py."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
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

    @property
    def path(self) -> str:
        return self.nav_path or f"/{self.name}"


def load_capabilities() -> list[Capability]:
    return [importlib.import_module(f"fupin.{name}.plugin").CAPABILITY for name in CAPABILITY_MODULES]
