"""The digest's one chart: daily spend stacked by provider, with the projection and break-even.

matplotlib is imported inside the function, with the Agg backend, so `aicost --help` and every
other command stay fast and no display is ever needed. The PNG is deterministic (fixed size,
no software or date metadata), so the same figures give the same bytes on the same machine.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

from ..core.digest import CHART_WEEKS, Digest
from ..core.money import currency_sign, display, format_usd

__all__ = ["chart_alt_text", "chart_png", "chart_title", "spend_chart_png"]

COLOURS = {"openai": "#10a37f", "anthropic": "#d97757"}  # each provider's own brand colour
OTHER_COLOURS = ("#4c78a8", "#9d755d", "#b279a2", "#72b7b2", "#eeca3b")
PROJECTION_COLOUR = "#333333"
BREAKEVEN_COLOUR = "#c0392b"
SIZE_INCHES = (10, 4.5)
DPI = 100
OFF_SCALE = 3  # a break-even line above 3 × the tallest day would flatten the bars: note it


def _money(value: float, _pos: object = None) -> str:
    """An axis label: the plotted dollars as people read them (see `money.display`)."""
    shown = display()
    sign = "$" if shown is None else currency_sign(shown.code)
    if shown is not None:
        value /= float(shown.usd_per_unit)
    return f"{sign}{value:,.0f}" if value >= 10 or value == 0 else f"{sign}{value:,.2f}"


def _day(value: float, _pos: object = None) -> str:
    from matplotlib.dates import num2date

    day = num2date(value)
    return f"{day.day} {day:%b}"


def spend_chart_png(
    daily_by_provider: Mapping[date, Mapping[str, Decimal]],
    *,
    projection_daily: Decimal | None,
    breakeven_daily: Decimal | None,
    title: str,
    highlight: tuple[date, date] | None = None,
    highlight_name: str = "week",
) -> bytes:
    """PNG bytes: stacked daily bars by provider for every day given (missing providers are 0),
    a dashed line at the projected daily run-rate, and the break-even daily equivalent.

    `highlight` shades an inclusive range of days (the digest's day, week or month:
    `highlight_name`).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    days = sorted(daily_by_provider)
    providers = sorted({p for values in daily_by_provider.values() for p in values})
    spare = iter(OTHER_COLOURS * (len(providers) // len(OTHER_COLOURS) + 1))
    colours = {p: COLOURS.get(p) or next(spare) for p in providers}

    fig, ax = plt.subplots(figsize=SIZE_INCHES, dpi=DPI)
    try:
        bottoms = [0.0] * len(days)
        for provider in providers:
            heights = [float(daily_by_provider[d].get(provider, 0)) for d in days]
            ax.bar(
                days,
                heights,
                bottom=bottoms,
                width=0.8,
                color=colours[provider],
                label=provider,
                linewidth=0,
            )
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        tallest = max([*bottoms, 0.0])
        top = tallest
        if projection_daily is not None:
            level = float(projection_daily)
            top = max(top, level)
            ax.axhline(
                level,
                color=PROJECTION_COLOUR,
                linestyle="--",
                linewidth=1.4,
                label=f"projected run-rate {_money(level)}/day",
            )
        if breakeven_daily is not None:
            level = float(breakeven_daily)
            label = f"break-even {_money(level)}/day"
            if tallest > 0 and level > OFF_SCALE * max(top, tallest):
                # Drawing it would squash a week's bars into a sliver; say where it is instead.
                ax.plot([], [], color=BREAKEVEN_COLOUR, linewidth=1.8, label=label + " (off scale)")
            else:
                top = max(top, level)
                ax.axhline(level, color=BREAKEVEN_COLOUR, linewidth=1.8, label=label)
        if highlight is not None:
            ax.axvspan(
                highlight[0] - timedelta(hours=12),
                highlight[1] + timedelta(hours=12),
                color="#e8e8e8",
                zorder=0,
                label=f"the {highlight_name} in this digest",
            )
        ax.set_ylim(0, top * 1.15 if top > 0 else 1)
        if days:
            ax.set_xlim(days[0] - timedelta(days=1), days[-1] + timedelta(days=1))
        if tallest == 0:
            ax.text(0.5, 0.5, "no spend in this period", transform=ax.transAxes, ha="center")
        ax.set_title(title, loc="left", fontsize=12)
        ax.set_ylabel("billed spend per day ($)")
        ax.yaxis.set_major_formatter(FuncFormatter(_money))
        ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
        ax.xaxis.set_major_formatter(FuncFormatter(_day))
        ax.set_xlabel("day (weeks start on Monday)")
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        # Beside the plot, so neither line ever runs through it.
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
    finally:
        plt.close(fig)
    return buffer.getvalue()


def chart_title(d: Digest) -> str:
    return f"Daily AI spend by provider, {CHART_WEEKS} weeks to {d.week_end.day} {d.week_end:%b %Y}"


def chart_alt_text(d: Digest) -> str:
    """What the chart shows, in words, for screen readers and for clients that hide images."""
    text = f"Stacked bars of daily AI spend by provider for the {CHART_WEEKS} weeks to "
    text += f"{d.week_end.day} {d.week_end:%b %Y}, the digest's {d.unit} shaded"
    if d.projection_daily_usd is not None:
        text += f"; dashed line: projected run-rate {format_usd(d.projection_daily_usd)}/day"
    if d.breakeven_daily_usd is not None:
        text += f"; red line: self-hosting break-even {format_usd(d.breakeven_daily_usd)}/day"
    return text + "."


def chart_png(d: Digest) -> bytes:
    return spend_chart_png(
        d.daily_by_provider,
        projection_daily=d.projection_daily_usd,
        breakeven_daily=d.breakeven_daily_usd,
        title=chart_title(d),
        highlight=(d.week_start, d.week_end),
        highlight_name=d.unit,
    )
