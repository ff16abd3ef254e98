"""The personal-data policy: which fields are personal, which roles see each in full, and how it is masked.

A masked view never leaves beside it what would rebuild the hidden part:
- an ID number is masked to its region code and last two characters (`530326**********2X`); the region is the
  household's own area, which every page shows anyway, and the birth date it hides is shown as the birth year
  only, so nothing beside it restores month, day and sequence;
- a birth date is shown as its year (or the age) wherever the ID number is masked;
- a phone number keeps its first three and last four digits (`138****1234`);
- health, disability (grade, category, certificate number) and bank data are withheld from roles that do not
  see them (clerks and the auditor) — not masked, absent.
Pages, API, exports, reports, error messages and logs all go through the functions below.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from fupin.core.roles import Role


class PersonalField(StrEnum):
    id_number = "id_number"
    birth_date = "birth_date"
    phone = "phone"
    health = "health"
    disability = "disability"
    bank_account = "bank_account"


_CADRES = frozenset({Role.admin, Role.county, Role.township, Role.village})

# Roles that see a field in full. A user's own flag (`can_view_pii`) overrides the role for ID number, birth
# date and phone — never for health and disability, which clerks must not see at all.
FULL_VIEW: dict[PersonalField, frozenset[Role]] = {
    PersonalField.id_number: _CADRES,
    PersonalField.birth_date: _CADRES,
    PersonalField.phone: _CADRES | {Role.grid},
    PersonalField.health: _CADRES | {Role.grid},
    PersonalField.disability: _CADRES | {Role.grid},
    PersonalField.bank_account: _CADRES,
}
WITHHELD_WHEN_MASKED = frozenset({PersonalField.health, PersonalField.disability, PersonalField.bank_account})
_OVERRIDABLE = frozenset({PersonalField.id_number, PersonalField.birth_date, PersonalField.phone})


def sees_in_full(role: str, field: PersonalField, override: bool | None = None) -> bool:
    if override is not None and field in _OVERRIDABLE:
        return override
    try:
        return Role(role) in FULL_VIEW[field]
    except ValueError:
        return False


def mask_id_number(number: str | None) -> str:
    """Region code and the last two characters; everything that encodes the birth date is hidden."""
    if not number:
        return ""
    number = number.strip()
    if len(number) == 18:
        return number[:6] + "*" * 10 + number[16:]
    if len(number) == 15:
        return number[:6] + "*" * 7 + number[13:]
    return "*" * len(number)


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) >= 7:
        return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]
    return "*" * len(digits)


def mask_certificate(number: str | None) -> str:
    """A disability certificate number (the ID number plus category and grade) masked like the ID number: the
    region code and the last two characters."""
    if not number:
        return ""
    number = number.strip()
    return number[:6] + "*" * max(0, len(number) - 8) + number[-2:] if len(number) > 8 else "*" * len(number)


def birth_shown(birth_date: dt.date | None, full: bool) -> str:
    """The birth date in full, or only its year."""
    if birth_date is None:
        return ""
    return birth_date.isoformat() if full else f"{birth_date.year}年"


class Viewer:
    """What one caller may see: built once per request from the role and the user's flag."""

    def __init__(self, role: str, override: bool | None = None) -> None:
        self.role = role
        self.override = override

    def full(self, field: PersonalField) -> bool:
        return sees_in_full(self.role, field, self.override)

    def id_number(self, number: str | None) -> str | None:
        if number is None:
            return None
        return number if self.full(PersonalField.id_number) else mask_id_number(number)

    def phone(self, phone: str | None) -> str | None:
        if phone is None:
            return None
        return phone if self.full(PersonalField.phone) else mask_phone(phone)

    def disability_certificate(self, number: str | None) -> str | None:
        """Withheld with the disability; masked like the ID number where the ID number is masked."""
        if number is None or not self.shows(PersonalField.disability):
            return None
        return number if self.full(PersonalField.id_number) else mask_certificate(number)

    def birth_date(self, birth_date: dt.date | None) -> dt.date | None:
        """The date when shown in full; None when only the year may be shown (use `birth_year`)."""
        return birth_date if self.full(PersonalField.birth_date) else None

    def birth_year(self, birth_date: dt.date | None) -> int | None:
        return None if birth_date is None else birth_date.year

    def shows(self, field: PersonalField) -> bool:
        """Whether a withheld field (health, disability, bank) may be shown at all."""
        return self.full(field)

    @property
    def masked(self) -> bool:
        return not self.full(PersonalField.id_number)
