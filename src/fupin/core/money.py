"""Exact money and exact splits: yuan as Decimal with 2 places, and the largest-remainder method.

A split of an amount into parts (a profit between an enterprise and villages, a village's share among its
households, a bonus pool by score, fungus segments by village) always sums exactly to the amount: each part
first gets its share rounded down to the unit (0.01 yuan, or 1 for things counted whole), then the units left
over go one each to the parts with the largest remainders. Ties are broken by the order the parts were given
in (a stable order the caller states, e.g. by household number), so the same inputs always give the same split.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

CENT = Decimal("0.01")
WHOLE = Decimal("1")
MAX_YUAN = Decimal("999999999999.99")  # 12 digits before the point: anything larger is a typing error


class SplitError(ValueError):
    """The split cannot be made: negative amount or weights, or no positive weight to share by."""


def yuan(value: Decimal | int | str) -> Decimal:
    """A money value as Decimal with exactly 2 places (half-up), refusing what is not a finite amount."""
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
        if not amount.is_finite():
            raise InvalidOperation
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None


def split(total: Decimal | int, weights: Sequence[Decimal | int | Fraction], unit: Decimal = CENT,
          caps: Sequence[Decimal | int | None] | None = None) -> list[Decimal]:
    """`total` split in proportion to `weights`, in whole `unit`s, summing exactly to `total` (largest remainder;
    ties to the earlier part). With `caps`, no part exceeds its cap: what a capped part cannot take is shared again
    among the others, and what nobody can take is returned to the caller as the difference (the sum is then less
    than `total`; see `split_capped`)."""
    if caps is not None:
        parts, _rest = split_capped(total, weights, caps, unit)
        return parts
    total = Decimal(total)
    if total < 0:
        raise SplitError("a negative total cannot be split")
    exact_weights = [Fraction(w) if not isinstance(w, Decimal) else Fraction(w) for w in weights]
    if any(w < 0 for w in exact_weights):
        raise SplitError("weights cannot be negative")
    weight_sum = sum(exact_weights, Fraction(0))
    if not exact_weights:
        raise SplitError("nothing to split among")
    if weight_sum == 0:
        if total == 0:
            return [Decimal(0).quantize(unit)] * len(exact_weights)
        raise SplitError("every weight is zero")
    units_total = Fraction(total) / Fraction(unit)
    if units_total.denominator != 1:
        raise SplitError(f"the total {total} is not a whole number of {unit}")
    units = int(units_total)
    exact = [units * w / weight_sum for w in exact_weights]
    floors = [int(share) for share in exact]  # shares are non-negative, so int() rounds down
    left = units - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in order[:left]:
        floors[index] += 1
    return [(Decimal(n) * unit).quantize(unit) for n in floors]


def split_capped(total: Decimal | int, weights: Sequence[Decimal | int | Fraction],
                 caps: Sequence[Decimal | int | None], unit: Decimal = CENT) -> tuple[list[Decimal], Decimal]:
    """Like `split`, but no part gets more than its cap (None: no cap). Parts that reach their cap are fixed at it
    and the rest is shared again among the others, until nothing changes. Returns the parts and what is left
    because every part is at its cap (zero when some part has no cap or the caps are large enough)."""
    total = Decimal(total)
    count = len(weights)
    parts = [Decimal(0).quantize(unit)] * count
    capped = [False] * count
    remaining = total
    while remaining > 0:
        open_parts = [i for i in range(count) if not capped[i] and Fraction(weights[i]) > 0]
        if not open_parts:
            break
        shares = split(remaining, [weights[i] for i in open_parts], unit)
        over = [i for i, share in zip(open_parts, shares, strict=True)
                if caps[i] is not None and parts[i] + share >= Decimal(caps[i])]
        if not over:
            for i, share in zip(open_parts, shares, strict=True):
                parts[i] += share
            remaining = Decimal(0)
            break
        for i in over:
            room = (Decimal(caps[i]) - parts[i]).quantize(unit, rounding=ROUND_DOWN)
            parts[i] += room
            remaining -= room
            capped[i] = True
    return parts, remaining.quantize(unit)
