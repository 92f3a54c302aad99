"""`aicost forecast` and `/aicost forecast`: this month's landing range and the next months."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from ..core.clock import next_month_start
from ..core.forecast_report import ForecastReport
from ..core.money import format_usd
from .limits import MAX_CONTEXT_ELEMENTS, MAX_FIELD_TEXT, MAX_SECTION_TEXT, clip
from .wording import display_notes, freshness_lines

__all__ = ["forecast_blocks", "forecast_fallback", "forecast_lines", "forecast_text"]

NOT_ENOUGH = "Not enough history to forecast yet: it needs at least 7 complete synced days."


def _range(e: Any) -> str:
    return f"{format_usd(e.point)} (likely {format_usd(e.low)} to {format_usd(e.high)})"


def forecast_lines(report: ForecastReport) -> list[str]:
    f = report.forecast
    if f is None:
        return [NOT_ENOUGH]
    lines = [
        f"This month ({f.today:%B %Y}): {_range(f.month_end)}; "
        f"{format_usd(f.month_to_date)} spent before today",
    ]
    if report.naive_month_end is not None:
        days_in_month = (next_month_start(f.today) - f.today.replace(day=1)).days
        lines.append(
            f"Naive run-rate for comparison ({format_usd(f.month_to_date)} ÷ "
            f"{report.naive_days} synced days × {days_in_month} days): "
            f"{format_usd(report.naive_month_end)}"
        )
    if report.budget_usd is not None:
        verdict = "above" if f.month_end.point > report.budget_usd else "within"
        lines.append(f"Budget {format_usd(report.budget_usd)}: the forecast is {verdict} it")
    lines.append(f"Trend: {f.monthly_growth * 100:+.1f} % a month")
    lines.append("")
    lines += [f"{m.month:%b %Y}  {_range(m.estimate)}" for m in f.next_months]
    lines += ["", f"Method: {f.method}"]
    return lines


def forecast_text(report: ForecastReport) -> str:
    local = report.as_of.astimezone(ZoneInfo(report.timezone))
    header = f"AI spend forecast (as of {local:%a %d %b %Y %H:%M} {report.timezone})"
    fresh = [f"Data: {line}" for line in freshness_lines(report)] + display_notes()
    return "\n".join(
        [header, ""]
        + [f"  {line}" if line else "" for line in forecast_lines(report)]
        + [""]
        + [f"  {line}" for line in fresh]
    )


def forecast_blocks(report: ForecastReport) -> list[dict[str, Any]]:
    body = "\n".join(forecast_lines(report))
    notes = freshness_lines(report) or ["No provider synced yet: run `aicost sync`."]
    notes = [*display_notes(), *notes]
    return [
        {"type": "header", "text": {"type": "plain_text", "text": "AI spend forecast"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": clip(body, MAX_SECTION_TEXT)}},
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": clip(n, MAX_FIELD_TEXT)}
                for n in notes[:MAX_CONTEXT_ELEMENTS]
            ],
        },
    ]


def forecast_fallback(report: ForecastReport) -> str:
    f = report.forecast
    if f is None:
        return NOT_ENOUGH
    return f"AI spend forecast for {f.today:%B %Y}: {_range(f.month_end)}"
