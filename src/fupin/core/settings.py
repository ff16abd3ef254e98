"""Settings from the environment (FUPIN_*), with a secret key generated and kept on first run."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./fupin.db"
_KNOWN_WEAK_SECRETS = {"", "changeme", "secret", "change-me", "fupin"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FUPIN_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = Path(".fupin")
    secret_key: str | None = Field(default=None, repr=False)

    host: str = "127.0.0.1"
    port: int = 8000

    session_hours: int = 12
    api_token_hours: int = 24
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    cookie_secure: bool = False

    default_locale: str = "zh"
    page_size: int = 50

    @field_validator("secret_key")
    @classmethod
    def refuse_default_secret(cls, value: str | None) -> str | None:
        if value is not None and (value.strip().lower() in _KNOWN_WEAK_SECRETS or len(value) < 32):
            raise ValueError("FUPIN_SECRET_KEY must be at least 32 characters and not a default value")
        return value

    def resolved_secret_key(self) -> str:
        """The configured key, else the one kept in data_dir, else a new one written there (0600)."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key)
        return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
