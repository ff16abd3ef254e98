"""One concrete, valid request for every write route (API and pages), for the route × role permission test.

Each capability keeps its own file here (`registry.py`, `orgs.py`, …) with `EXAMPLES: list[Example]`. The test
(tests/integration/test_permissions_by_route.py) builds the demo county once, then for every write route of the
app and every demo role sends the example's request and checks it against the permission table:
- a role the table does not allow gets 403 with the code `core.forbidden_action` and nothing is written
  (row counts of every table and the audit log are unchanged);
- a role it allows never gets `core.forbidden_action` (other answers — 404 outside its scope, 409, 422 — are fine).
A write route without an example fails the test, so a new route cannot skip its entry.

`action` is the permission-table action the route's use case asks for first (`uow.require(action)` before any
read), or None for the few routes every visitor may use (log in and out, switch language, pick an area).
`build` gets the demo (a read-only session on it and its well-known codes) and returns the concrete call; pick
records inside the demo village (`demo.village_code`) so that as many roles as possible are in scope.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Demo:
    session: Any  # sqlalchemy Session on the demo database (read-only use)
    county_code: str
    township_code: str
    village_code: str  # the demo_village user's village
    site_code: str  # the resettlement community (the demo_grid user's area)
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    url: str
    json: Any = None
    data: dict[str, Any] | None = None  # a page form (the test adds the CSRF token)
    files: dict[str, Any] | None = None
    action: str | None = None  # overrides Example.action when the action depends on the request


@dataclass(frozen=True)
class Example:
    method: str
    path: str  # the route's path template exactly as declared, e.g. "/api/v1/registry/households/{household_id}"
    action: str | None
    build: Callable[[Demo], Call]
    ends_session: bool = False  # the call ends the caller's own session or tokens: sent after every other route


def all_examples() -> dict[tuple[str, str], Example]:
    found: dict[tuple[str, str], Example] = {}
    for module in pkgutil.iter_modules(__path__):
        for example in importlib.import_module(f"{__name__}.{module.name}").EXAMPLES:
            key = (example.method.upper(), example.path)
            if key in found:
                raise ValueError(f"two examples for {key}")
            found[key] = example
    return found
