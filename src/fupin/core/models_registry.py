"""Import every capability's models so that Base.metadata is complete (Alembic, tests)."""

from __future__ import annotations

import importlib

import fupin.core.audit  # noqa: F401  (the audit log table)
import fupin.core.jobs  # noqa: F401  (background jobs)
import fupin.core.keys  # noqa: F401  (the look-up key's fingerprint)
from fupin.core.capability import CAPABILITY_MODULES
from fupin.core.db import Base

for _name in CAPABILITY_MODULES:
    try:
        importlib.import_module(f"fupin.{_name}.models")
    except ModuleNotFoundError as error:
        if error.name != f"fupin.{_name}.models":
            raise

metadata = Base.metadata
