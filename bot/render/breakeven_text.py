"""`aicost breakeven` for the terminal, and the phrases its Slack and JSON renderings share.

Every answer shows the inputs behind its verdict: the workload, each assumption that matters
for renting or buying with where its value came from, and how fresh the data is.
"""

from __future__ import annotations

import textwrap
from dataclasses import fields
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..core.breakeven import SOURCES, Assumptions, BreakEven, Option
from ..core.breakeven.peak import PEAK_PERCENTILE
from ..core.breakeven.sensitivity import Sensitivity, Swing
from ..core.breakeven.verdict import Verdict, hours, percent
from ..core.breakeven_report import BreakEvenReport
from ..core.coverage import describe_days
from ..core.money import format_dollars, split_cents
from .wording import freshness_lines

__all__ = [
    "assumption_rows",
    "breakeven_line",
    "breakeven_text",
    "capacity_line",
    "data_notes",
    "flips_sentence",
    "workloads_text",
    "payback_line",
    "peak_line",
    "tokens",
    "workload_line",
]

# Fields that only matter for one way of getting GPUs; the other way's are left out.
RENT_ONLY = frozenset({"gpu_hour_usd", "storage_egress_frac"})
BUY_ONLY = frozenset(
    {
        "server_price_usd",
        "gpus_per_server",
        "residual_frac",
        "gpu_watts",
        "host_watts",
        "load_factor",
        "pue",
        "kwh_usd",
        "maintenance_frac_per_year",
        "network_frac",
        "colo_usd_per_kw_month",
    }
)
WIDTH = 100


def tokens(n: int) -> str:
    """Token counts at a glance: '800M', '1.25B', '950K'."""
    for size, unit in ((10**9, "B"), (10**6, "M"), (10**3, "K")):
        if n >= size:
            return f"{n / size:.3g}{unit}"
    return str(n)


def _value(value: object) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def assumption_rows(a: Assumptions, origin: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, value, source) for every assumption that matters for this acquisition.

    Names are the keys `--set` takes; a default's source cites docs/cost-model.md.
    """
    skip = BUY_ONLY if a.acquisition == "rent" else RENT_ONLY
    rows = []
    for f in fields(Assumptions):
        if f.name in skip:
            continue
        source = origin.get(f.name, "default")
        if source == "default" and f.name in SOURCES:
            source = f"default: {SOURCES[f.name]}"
        rows.append((f.name, _value(getattr(a, f.name)), source))
    return rows


def workload_line(report: BreakEvenReport) -> str:
    w = report.result.workload
    scope = "" if report.provider is None else f"{report.provider} alone: "
    return (
        f"{scope}{tokens(w.input_tokens)} input ({tokens(w.cached_input_tokens)} cached), "
        f"{tokens(w.output_tokens)} output tokens and {format_dollars(w.api_usd)} "
        "of API bill a month"
    )


def breakeven_line(result: BreakEven) -> str:
    if not result.capacity.fits:
        return "none: the model does not fit"
    if result.breakeven_api_usd is None:
        return "never, with this token mix"
    text = (
        f"{format_dollars(result.breakeven_api_usd)}/month of API spend "
        f"(yours: {format_dollars(result.workload.api_usd)})"
    )
    if result.payoff_api_usd is not None and result.payoff_api_usd != result.breakeven_api_usd:
        text += (
            f"; pays off above {format_dollars(result.payoff_api_usd)} "
            f"(a {percent(result.assumptions.payoff_margin)} margin)"
        )
    if result.breakeven_month is not None:
        text += f"; passed on the forecast in {result.breakeven_month:%Y-%m}"
    return text


MONEY_INPUTS = frozenset(
    {"gpu_hour_usd", "engineer_hour_usd", "kwh_usd", "oncall_usd_per_week", "colo_usd_per_kw_month"}
)


def input_value(name: str, value: Decimal) -> str:
    """An input as a user would type it back: $2.23, 0.759, 2.09."""
    if name in MONEY_INPUTS:
        return format_dollars(value) if value >= 1 else f"${value:.3f}"
    return f"{value:.3g}" if value < 10 else f"{value:.0f}"


def flip_condition(swing: Swing) -> str:
    """'gpu_hour_usd < $2.23': the side of its flip point where the verdict is the other one."""
    assert swing.flips_at is not None
    side = "<" if swing.flips_below else ">"
    return f"{swing.name} {side} {input_value(swing.name, swing.flips_at)}"


def flips_sentence(s: Sensitivity) -> str:
    """What would change the verdict, each input alone, or that nothing in range would."""
    if not s.flips:
        return "No input within its plausible range changes the verdict"
    then = "would stop paying off" if s.pays_off else "would pay off"
    return (
        f"Self-hosting {then} if "
        + ", or ".join(flip_condition(f) for f in s.flips)
        + " (any one alone, the rest as they are)"
    )


def sensitivity_lines(s: Sensitivity) -> list[str]:
    """The break-even range, what flips the verdict, then each input across its range."""
    lines = []
    span = s.breakeven_range
    if span is not None:
        top = "never" if span[1] is None else f"{format_dollars(span[1])}/month"
        lines.append(
            f"Break-even bill from {format_dollars(span[0])}/month to {top} over the plausible "
            "range of each input below"
        )
    lines.append(flips_sentence(s))
    for w in s.swings:
        ends = " to ".join(
            "never" if bill is None else format_dollars(bill)
            for bill in (w.breakeven_at_low, w.breakeven_at_high)
        )
        lines.append(
            f"{w.name} {input_value(w.name, w.value)} (range {input_value(w.name, w.low)} to "
            f"{input_value(w.name, w.high)}): break-even {ends}; {w.source}"
        )
    return lines


def payback_line(result: BreakEven) -> str:
    cost = result.self_host_cost
    if cost is None or cost.capex_usd <= 0:
        return "nothing bought (renting)" if cost is not None else "-"
    if result.payback_months is None:
        bought = format_dollars(cost.capex_usd)
        return f"never: savings do not cover running costs ({bought} bought)"
    text = f"{result.payback_months:.1f} months for {format_dollars(cost.capex_usd)} of hardware"
    if not result.pays_back:
        text += f": does not pay back within its {result.assumptions.amortization_months} months"
    return text


def capacity_line(result: BreakEven) -> str:
    a, c, cost = result.assumptions, result.capacity, result.self_host_cost
    if cost is None:
        return (
            f"does not fit: {c.weights_gb:.0f} GB of weights, {c.usable_gb:.1f} GB usable "
            f"on {a.gpus_per_replica} × {a.gpu}"
        )
    return (
        f"peak {c.peak_tok_s:,.0f} output tok/s (movable {percent(a.movable_frac)}); "
        f"{cost.replicas} replica{'s' if cost.replicas != 1 else ''} of {c.replicas_needed} "
        f"needed ({cost.gpus} × {a.gpu}); "
        f"serves {percent(result.served_share)}; busy {percent(result.utilization)}"
    )


def peak_line(report: BreakEvenReport) -> str:
    """What the replicas were sized for, and whether it was measured or assumed."""
    a, origin = report.result.assumptions, report.origin.get("peak_factor", "default")
    peak = report.peak.measured
    if peak is not None:
        text = (
            f"measured: p{PEAK_PERCENTILE} of {peak.hours:,} hourly totals "
            f"({peak.start:%Y-%m-%d} to {peak.end:%Y-%m-%d} UTC), "
            f"{tokens(peak.peak_output)} output tokens (single busiest {tokens(peak.max_output)}); "
            f"{hours(peak.active_hours_per_month)} active hours a month; "
            f"busiest on average {peak.busiest_label()}"
        )
        if report.what_if_spend is not None:
            text += " (the hour as measured; sized in proportion to the what-if bill)"
        if report.peak.unmeasured:
            text += (
                f"; measured on {percent(report.peak.measured_share)} of output tokens, "
                f"{', '.join(report.peak.unmeasured)} (no hourly usage) assumed to follow "
                "the same hours"
            )
        if not origin.startswith("measured"):
            text = f"peak_factor {a.peak_factor} from the {origin} instead of the {text}"
        return text
    return (
        f"assumed: {a.peak_factor} × the average of {hours(a.active_hours_per_month)} active "
        f"hours a month ({report.peak.why_assumed}; with hourly usage synced it is measured)"
    )


# The window ends at the last synced day; beyond this many days back that is worth saying.
STALE_WINDOW_DAYS = 3


def data_notes(report: BreakEvenReport) -> list[str]:
    """Where the figures come from and how fresh they are, one short line each."""
    notes = []
    if report.window is not None:
        start, end = report.window
        last = end - timedelta(days=1)
        notes.append(
            f"usage and billed spend {start:%d %b %Y} – {last:%d %b %Y} "
            f"({(end - start).days} days), scaled to a month"
        )
        if report.window_skipped:
            notes.append(
                f"{len(report.window_skipped)} days in that window were never synced "
                f"({describe_days(report.window_skipped)}): left out, not counted as $0"
            )
        if report.data_age_days is not None and report.data_age_days > STALE_WINDOW_DAYS:
            notes.append(
                f"the data ends {report.data_age_days} days before today: this is the traffic "
                "of the last 28 days with data, not of the last 28 days; run `aicost sync`"
            )
    else:
        notes.append("no stored usage window")
    if report.left_out:
        notes.append(
            "left out of the workload, having no token counts to size hardware for: "
            + ", ".join(f"{name} {format_dollars(usd)}/month" for name, usd in report.left_out)
        )
    notes += freshness_lines(report)
    m = report.measured_hours
    if m is not None:
        notes.append(
            f"engineering hours logged: {hours(m.total_hours)} h in {m.entries} entries "
            f"since {m.since:%d %b %Y} ({hours(m.weekly_average)} h/week)"
        )
    notes.append(f"API prices: {report.price_data}")
    if report.what_if_spend is not None:
        notes.append(
            f"what if: the bill were {format_dollars(report.what_if_spend)}/month "
            "with today's token mix"
        )
    return notes


def _wrap(text: str, indent: str, hang: str) -> list[str]:
    """Wrap at WIDTH, never between a number and its '%' (textwrap does not break at NBSP)."""
    glued = text.replace(" %", "\u00a0%")
    wrapped = textwrap.wrap(glued, WIDTH, initial_indent=indent, subsequent_indent=hang)
    return [line.replace("\u00a0%", " %") for line in wrapped]


def shown(option: Option) -> list[tuple[str, Decimal]]:
    """The option's breakdown as displayed: to the cent, adding up to its displayed total."""
    amounts = split_cents(option.monthly_usd, [usd for _, usd in option.lines])
    return [(label, usd) for (label, _), usd in zip(option.lines, amounts, strict=True)]


def _options(result: BreakEven) -> list[str]:
    options: list[Option] = [result.status_quo, result.hosted, result.self_host]
    width = max(len(o.name) for o in options) + 2
    lines = ["Options, per month"]
    for option in options:
        marker = "   <- best" if option is result.best else ""
        lines.append(f"  {option.name:<{width}}{format_dollars(option.monthly_usd):>12}{marker}")
        lines += [
            f"    {label:<{width - 2}}{format_dollars(usd):>12}" for label, usd in shown(option)
        ]
    return lines


def _row(label: str, text: str) -> list[str]:
    return _wrap(text, f"  {label:<20}", " " * 22)


def _scope(report: BreakEvenReport) -> str:
    return "" if report.provider is None else f", {report.provider}'s workload alone"


def breakeven_text(report: BreakEvenReport, verdict: Verdict) -> str:
    """The whole answer: verdict and reasons, the options, then the inputs and their freshness."""
    result = report.result
    local = report.as_of.astimezone(ZoneInfo(report.timezone))
    lines = [
        f"Break-even: self-hosting vs the API{_scope(report)} "
        f"(as of {local:%a %d %b %Y %H:%M} {report.timezone})",
        "",
        *_wrap(verdict.headline, "", ""),
    ]
    for reason in verdict.reasons:
        lines += _wrap(reason, "  - ", "    ")
    lines += ["", *_options(result), ""]
    best = result.best
    saving = (
        f"{best.name}, saves {format_dollars(result.monthly_savings)}/month"
        if result.monthly_savings > 0
        else f"{best.name}: nothing saves money"
    )
    lines += _row("Best option", saving)
    lines += _row("Break-even bill", breakeven_line(result))
    lines += _row("Payback", payback_line(result))
    lines += _row("Capacity", capacity_line(result))
    lines += _row("Busiest hour", peak_line(report))
    if report.sensitivity is not None:
        lines += ["", "What the verdict hangs on"]
        for line in sensitivity_lines(report.sensitivity):
            lines += _wrap(line, "  ", "    ")
    w = result.workload
    lines += ["", f"Inputs (profile {report.profile})"]
    lines += _row("Workload", workload_line(report))
    if w.basis:
        lines += _row("Basis", w.basis)
    for m in w.models:
        listed = "" if m.list_usd is None else f", {format_dollars(m.list_usd)} at list prices"
        lines += _row(
            "Model",
            f"{m.provider} {m.model}: {tokens(m.input_tokens)} in "
            f"({tokens(m.cached_input_tokens)} cached), {tokens(m.output_tokens)} out{listed}",
        )
    rows = assumption_rows(result.assumptions, report.origin)
    name_width = max(len(name) for name, _, _ in rows) + 2
    lines.append("  Assumptions")
    lines += [f"    {name:<{name_width}}{value:<10}  {source}" for name, value, source in rows]
    lines += ["", "Data"]
    lines += [line for note in data_notes(report) for line in _wrap(note, "  ", "    ")]
    return "\n".join(lines)


def workloads_text(
    bill: Decimal, answers: list[tuple[str, str, tuple[BreakEvenReport, Verdict]]]
) -> str:
    """Several providers' workloads asked the same what-if bill: each verdict, what flips it."""
    lines = _wrap(
        f"Break-even for each workload alone, at {format_dollars(bill)} a month "
        "(what if it grew to that: its own token mix and measured hours)",
        "",
        "",
    )
    lines.append("")
    for provider, what, (report, verdict) in answers:
        result = report.result
        lines += _wrap(f"{provider} ({what}): {verdict.headline}", "  ", "    ")
        if result.capacity.fits and result.self_host_cost is not None:
            lines += _wrap(
                f"Busy {percent(result.utilization)} on {report.profile}; busiest hour "
                + peak_line(report),
                "    ",
                "      ",
            )
        if report.sensitivity is not None:
            lines += _wrap(flips_sentence(report.sensitivity), "    ", "      ")
        lines.append("")
    lines.append(
        "  `aicost breakeven --provider NAME --monthly-spend USD` shows either answer in full."
    )
    return "\n".join(lines)
