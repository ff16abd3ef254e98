"""Masking of personal data for display (kept for existing imports; the policy lives in core.personal_data)."""

from __future__ import annotations

from fupin.core.personal_data import mask_id_number, mask_phone

__all__ = ["mask_id_number", "mask_phone"]
