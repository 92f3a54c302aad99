"""How long "a month" is, once, for every figure that is quoted per month.

A forecast's growth "per month", a window of spend scaled to a monthly bill and a GPU rented
for a month must agree on the month, or a break-even bill and the forecast that is compared
with it are measured in different units. Cloud price lists rent by the hour and quote a month
as 730 hours (8,760 h / 12), so that is the month here, and a day is 24 of its hours.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["DAYS_PER_MONTH", "HOURS_PER_MONTH"]

HOURS_PER_MONTH = Decimal(730)
DAYS_PER_MONTH = HOURS_PER_MONTH / 24  # 30.41666…; float(DAYS_PER_MONTH) where floats are used
