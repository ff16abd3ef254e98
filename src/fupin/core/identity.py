"""Who acts: the authenticated caller as every request and use case sees it (pure data, no tables)."""

from __future__ import annotations

from dataclasses import dataclass

from fupin.core.scoping import Scope


@dataclass(frozen=True)
class Actor:
    """Who performs a use case: a logged-in user, or the command line / system acting as admin.

    `pii_override` is the user's own flag (None: the role decides which personal data it sees in full)."""

    user_id: int | None
    name: str
    role: str
    scope_prefix: str = ""
    entity_id: int | None = None
    shop_id: int | None = None
    pii_override: bool | None = None

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(user_id=None, name=name, role="admin", scope_prefix="")

    @property
    def scope(self) -> Scope:
        return Scope(self.scope_prefix)


@dataclass(frozen=True)
class CurrentUser:
    """The authenticated caller of a request."""

    id: int
    username: str
    display_name: str
    role: str
    area_code: str | None
    pii_override: bool | None = None
    csrf_token: str | None = None
    entity_id: int | None = None
    shop_id: int | None = None
    token_id: int | None = None

    @property
    def scope(self) -> Scope:
        return Scope.of_area(self.area_code)

    @property
    def can_view_pii(self) -> bool:
        """Whether ID numbers and birth dates are shown in full (see core.personal_data for every field)."""
        from fupin.core.personal_data import PersonalField, sees_in_full

        return sees_in_full(self.role, PersonalField.id_number, self.pii_override)

    @property
    def can_write(self) -> bool:
        from fupin.core.permissions import may_write

        return may_write(self.role)

    def actor(self) -> Actor:
        return Actor(user_id=self.id, name=self.username, role=self.role, scope_prefix=self.scope.prefix,
                     entity_id=self.entity_id, shop_id=self.shop_id, pii_override=self.pii_override)
