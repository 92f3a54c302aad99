"""The break-even summary in one sentence, and what would flip it: said by the weekly digest
and the App Home beside their other figures, so both say it the same way."""

from __future__ import annotations

from ..core.breakeven_report import BreakEvenSummary
from ..core.money import ZERO, format_dollars
from .breakeven_text import flips_sentence

__all__ = ["flips_line", "summary_line"]


def summary_line(b: BreakEvenSummary | None, unavailable: str) -> str:
    """How far the bill is from the break-even bill, or why that cannot be said."""
    if b is None:
        return f"Break-even {unavailable}."
    bill = f"today's bill {format_dollars(b.monthly_bill_usd)}/month"
    if b.breakeven_bill_usd is None:
        return f"Self-hosting ({b.profile}) does not pay off at this token mix; {bill}."
    breakeven = f"{format_dollars(b.breakeven_bill_usd)}/month"
    if b.pays_off:
        return (
            f"Self-hosting ({b.profile}) pays off now: {format_dollars(b.saving_usd)}/month less; "
            f"{bill} is above the {breakeven} break-even."
        )
    text = f"Self-hosting ({b.profile}) breaks even at {breakeven}; {bill}"
    distance = b.distance_usd or ZERO
    text += f", {format_dollars(distance)}/month to go" if distance > 0 else ", past it"
    if b.breakeven_month is not None:
        text += f"; the forecast clears its margin in {b.breakeven_month:%B %Y}."
    else:
        text += "; not clear of its margin within the 12-month forecast."
    if b.best_saving_usd > 0:  # 0 when staying on the API is cheapest
        text += f" Cheapest now: {b.best_option}, {format_dollars(b.best_saving_usd)}/month less."
    return text


def flips_line(b: BreakEvenSummary | None) -> str | None:
    """What would change the verdict (each input alone), or None when it was not worked out."""
    if b is None or b.sensitivity is None:
        return None
    return flips_sentence(b.sensitivity) + "."
