"""Settings from the environment (FUPIN_*), with a secret key generated and kept on first run."""

from __future__ import annotations

import os
import secrets
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./fupin.db"


def default_data_dir() -> Path:
    """Where the generated key is kept when FUPIN_DATA_DIR is not set: the user's data folder, never the current
    directory (a command run from elsewhere must find the same key)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "fupin"
_KNOWN_WEAK_SECRETS = {"", "changeme", "secret", "change-me", "fupin"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FUPIN_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = Field(default_factory=default_data_dir)
    secret_key: str | None = Field(default=None, repr=False)

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1)

    # Connections per worker process. A request holds at most one; when all are busy a request waits at most
    # db_pool_timeout seconds and is then answered 503 with Retry-After (never a 30-s wait and a 500).
    db_pool_size: int = 8
    db_max_overflow: int = 4
    db_pool_timeout: float = 3.0
    # Requests in progress per worker process; more wait at most queue_timeout seconds, then 503.
    max_inflight: int = 12
    queue_timeout: float = 6.0
    # Background jobs: a job whose worker has not reported for this long is taken over by another worker.
    job_stale_seconds: int = 90
    # Run background jobs in a thread of the web process (one process serving); `fupin serve --workers N` turns
    # it off in the web processes and starts one `fupin worker` beside them.
    embedded_worker: bool = True
    # Dashboards and the home page's key figures may be this many seconds old (computed once for everybody).
    figure_cache_seconds: float = 60
    # A figure snapshot older than this is recomputed by the page that reads it (no worker keeps it fresh);
    # 0: ten times figure_cache_seconds, at least 15 minutes.
    figure_snapshot_max_age: float = 0
    # The job worker escalates overdue service requests this often (minutes); 0: only the command line does.
    escalation_every_minutes: float = 60
    # The working year every page opens on (changeable in the area picker, kept for the browser session);
    # 0: the current calendar year.
    work_year: int = 0

    session_hours: int = 12
    api_token_hours: int = 24
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    # Failed logins from one source address (any accounts) before that address is refused for the lockout time.
    login_max_failures_per_address: int = 20
    cookie_secure: bool = False

    # A household's income gets a remark when policy transfers (低保金, 特困供养金, 养老金, 生态补偿金) are more than
    # this share of its net income (compared exactly; registry.rules.TransferShare).
    policy_transfer_share: Decimal = Field(default=Decimal("0.5"), ge=0, le=1)

    default_locale: str = "zh"
    page_size: int = 50

    @field_validator("secret_key")
    @classmethod
    def refuse_default_secret(cls, value: str | None) -> str | None:
        if value is not None and (value.strip().lower() in _KNOWN_WEAK_SECRETS or len(value) < 32):
            raise ValueError("FUPIN_SECRET_KEY must be at least 32 characters and not a default value")
        return value

    @property
    def key_path(self) -> Path:
        return self.data_dir / "secret_key"

    def configured_secret_key(self) -> str | None:
        """The key from FUPIN_SECRET_KEY, else the one kept in data_dir; None when there is none yet."""
        if self.secret_key:
            return self.secret_key
        if self.key_path.exists():
            return self.key_path.read_text(encoding="utf-8").strip()
        return None

    def resolved_secret_key(self) -> str:
        """The key; a missing key is an error, never silently replaced (core.keys decides when one is made)."""
        key = self.configured_secret_key()
        if key is None:
            from fupin.core.keys import KEY_MISSING

            raise KEY_MISSING(path=str(self.key_path))
        return key

    def write_new_secret_key(self, path: Path | None = None) -> str:
        path = path or self.key_path
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key)
        return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
