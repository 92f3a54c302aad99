"""Spend per provider, project and model in two date windows: what "why did it move?", the
weekly digest's movers and the spike alerts' explanation are built from.

Both windows are summed in one query, in SQL, over integer nano-dollars, so the totals are as
exact as the rest of aicost's money. Lines without a model (OpenAI's non-token line items such
as web search or file storage, some Anthropic descriptions) are grouped under their line item,
or under "other" when they have none, so they still show up as movers instead of vanishing.
Amounts are summed per currency in SQL and converted to dollars after (`FxRates`); a currency
without a rate is left out, as its days are everywhere else.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, and_, case, func, literal, literal_column, select
from sqlalchemy.orm import Session

from ..core.fx import FxRates
from ..core.money import ZERO, from_nanos
from ..core.records import LineSpend, Window
from ..core.teams import shown_project
from .models import CostLineRow

__all__ = [
    "OTHER",
    "spend_by_line",
]

OTHER = "other"


def _in(window: Window) -> Any:
    return and_(CostLineRow.day >= window[0], CostLineRow.day < window[1])


def _windows(
    engine: Engine, keys: list[Any], current: Window, previous: Window, fx: FxRates
) -> list[tuple[Any, ...]]:
    """Rows of (*keys, current dollars, previous dollars) over days in either window."""
    start, end = min(current[0], previous[0]), max(current[1], previous[1])
    zero = literal(0)
    query = (
        select(
            *keys,
            CostLineRow.currency,
            func.sum(case((_in(current), CostLineRow.amount_nanos), else_=zero)),
            func.sum(case((_in(previous), CostLineRow.amount_nanos), else_=zero)),
        )
        .where(CostLineRow.day >= start, CostLineRow.day < end)
        .group_by(*keys, CostLineRow.currency)
    )
    with Session(engine) as session:
        rows = session.execute(query).all()
    sums: dict[tuple[Any, ...], tuple[Decimal, Decimal]] = {}
    for *key, currency, now, before in rows:
        now_usd = fx.to_usd(from_nanos(int(now)), currency)
        before_usd = fx.to_usd(from_nanos(int(before)), currency)
        if now_usd is None or before_usd is None:
            continue
        held = sums.get(tuple(key), (ZERO, ZERO))
        sums[tuple(key)] = (held[0] + now_usd, held[1] + before_usd)
    return [(*key, now, before) for key, (now, before) in sums.items()]


def _model_name() -> Any:
    """The model, else the line item, else "other", as one SQL expression.

    Inline literals, not bound parameters: PostgreSQL only matches a GROUP BY expression to the
    selected one when they are identical, and two bound parameters never are.
    """
    return func.coalesce(
        CostLineRow.model,
        func.nullif(CostLineRow.line_item, literal_column("''")),
        literal_column(f"'{OTHER}'"),
    )


def spend_by_line(
    engine: Engine, current: Window, previous: Window, fx: FxRates | None = None
) -> list[LineSpend]:
    """Dollars per (provider, project, model) in each window, in a stable order.

    The one grain every breakdown is summed from (`bot.core.why`), so the per-provider,
    per-project and per-model figures of one answer always add up to the same total.
    """
    keys = [CostLineRow.provider, CostLineRow.project, _model_name()]
    rows = _windows(engine, keys, current, previous, fx or FxRates())
    lines = [LineSpend(p, shown_project(k), str(m), c, q) for p, k, m, c, q in rows]
    return sorted(lines, key=lambda s: (s.provider, s.project, s.model))
