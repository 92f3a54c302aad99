"""Spend per model and per project in two date windows: what the weekly digest's movers need.

Both windows are summed in one query, in SQL, over integer nano-dollars, so the totals are as
exact as the rest of aicost's money. Lines without a model (OpenAI's non-token line items such
as web search or file storage, some Anthropic descriptions) are grouped under their line item,
or under "other" when they have none, so they still show up as movers instead of vanishing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, and_, case, func, literal, literal_column, select
from sqlalchemy.orm import Session

from ..core.money import from_nanos
from ..core.records import Window, WindowSpend
from .models import CostLineRow

__all__ = [
    "DEFAULT_PROJECT",
    "OTHER",
    "spend_by_model",
    "spend_by_project",
]

OTHER = "other"
DEFAULT_PROJECT = "default"  # what "" means: the default project (OpenAI) or workspace (Anthropic)


def _in(window: Window) -> Any:
    return and_(CostLineRow.day >= window[0], CostLineRow.day < window[1])


def _windows(
    engine: Engine, keys: list[Any], current: Window, previous: Window
) -> list[tuple[Any, ...]]:
    """Rows of (*keys, current nanos, previous nanos) over days in either window."""
    start, end = min(current[0], previous[0]), max(current[1], previous[1])
    zero = literal(0)
    query = (
        select(
            *keys,
            func.sum(case((_in(current), CostLineRow.amount_nanos), else_=zero)),
            func.sum(case((_in(previous), CostLineRow.amount_nanos), else_=zero)),
        )
        .where(CostLineRow.day >= start, CostLineRow.day < end)
        .group_by(*keys)
    )
    with Session(engine) as session:
        return [tuple(row) for row in session.execute(query).all()]


def spend_by_model(engine: Engine, current: Window, previous: Window) -> list[WindowSpend]:
    """Dollars per model (or line item, or "other") in each window, largest current first.

    Models are grouped by name alone: model names do not collide across providers, and a
    line item such as "web search" reads the same whichever provider billed it.
    """
    # Inline literals, not bound parameters: PostgreSQL only matches a GROUP BY expression to
    # the selected one when they are identical, and two bound parameters never are.
    name = func.coalesce(
        CostLineRow.model,
        func.nullif(CostLineRow.line_item, literal_column("''")),
        literal_column(f"'{OTHER}'"),
    )
    rows = _windows(engine, [name], current, previous)
    spends = [WindowSpend(None, str(k), from_nanos(int(c)), from_nanos(int(p))) for k, c, p in rows]
    return sorted(spends, key=lambda s: (-s.current_usd, s.name))


def spend_by_project(engine: Engine, current: Window, previous: Window) -> list[WindowSpend]:
    """Dollars per (provider, project or workspace) in each window, largest current first.

    Grouped with the provider, because an OpenAI project id and an Anthropic workspace id are
    different things, and "" (the default one) exists on both.
    """
    keys = [CostLineRow.provider, CostLineRow.project]
    rows = _windows(engine, keys, current, previous)
    spends = [
        WindowSpend(p, k or DEFAULT_PROJECT, from_nanos(int(c)), from_nanos(int(q)))
        for p, k, c, q in rows
    ]
    return sorted(spends, key=lambda s: (-s.current_usd, s.provider or "", s.name))
