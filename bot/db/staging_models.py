"""Staging tables: a sync's pages land here, committed page by page, before one swap.

A sync writes each page as it arrives (so memory holds one page, not the whole backfill) and
then moves everything into the real tables in one transaction. Rows carry the id of the run that
staged them; a run killed mid-way leaves only staging rows, which the next run of the same
provider deletes before it starts.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base

__all__ = ["StagedCostLine", "StagedDay", "StagedTokenUsage"]


class StagedCostLine(Base):
    __tablename__ = "staged_cost_lines"
    __table_args__ = (Index("ix_staged_cost_lines_run", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(String(32))
    provider: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    project: Mapped[str] = mapped_column(String(191))
    line_item: Mapped[str] = mapped_column(String(255))
    model: Mapped[str | None] = mapped_column(String(191), nullable=True)
    amount_nanos: Mapped[int] = mapped_column(BigInteger)


class StagedTokenUsage(Base):
    __tablename__ = "staged_token_usage"
    __table_args__ = (Index("ix_staged_token_usage_run", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(String(32))
    provider: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    model: Mapped[str] = mapped_column(String(191))
    input_tokens: Mapped[int] = mapped_column(BigInteger)
    cached_input_tokens: Mapped[int] = mapped_column(BigInteger)
    output_tokens: Mapped[int] = mapped_column(BigInteger)
    requests: Mapped[int] = mapped_column(BigInteger)


class StagedDay(Base):
    """A day the provider answered for (kind "costs" or "usage"), with or without rows."""

    __tablename__ = "staged_days"

    run_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
