"""Masking of personal data for display: pages, API and exports use the same function."""

from __future__ import annotations


def mask_id_number(number: str | None) -> str:
    """530326********123X: region code kept, birth date and most of the sequence hidden."""
    if not number:
        return ""
    if len(number) == 18:
        return number[:6] + "*" * 8 + number[14:]
    if len(number) == 15:
        return number[:6] + "*" * 6 + number[12:]
    return "*" * len(number)


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "*" * len(phone)
