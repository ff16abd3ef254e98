"""Alembic, driven from code: `fupin init` upgrades to all heads; /readyz compares current and heads.

0001 is the foundation. Each capability may grow its own branch from it (branch_labels = its package name),
so capabilities built side by side never fight over one linear chain; "heads" upgrades every branch.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("fupin").joinpath("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


@dataclass(frozen=True)
class MigrationStatus:
    database_heads: tuple[str, ...]
    script_heads: tuple[str, ...]

    @property
    def current(self) -> bool:
        return set(self.database_heads) == set(self.script_heads)

    def as_dict(self) -> dict[str, list[str]]:
        return {"database": list(self.database_heads), "code": list(self.script_heads)}


def migration_status(engine: Engine) -> MigrationStatus:
    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string(hide_password=False)))
    with engine.connect() as connection:
        database_heads = MigrationContext.configure(connection).get_current_heads()
    return MigrationStatus(tuple(sorted(database_heads)), tuple(sorted(script.get_heads())))
