"""The break-even answer in plain words: one headline and the reasons behind it.

Pure like the rest of the model: it reads a BreakEven and a few facts the model does not hold
(measured engineering hours, team size) and returns sentences, each with the numbers that
support it, so the terminal, Slack and JSON all give the same verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ..money import ZERO, format_usd
from .capacity import LOW_UTILIZATION
from .model import BreakEven

__all__ = [
    "COSTS_MORE",
    "INSIDE_MARGIN",
    "NOT_CHEAPEST",
    "NO_PAYBACK",
    "PAYS_OFF",
    "SMALL_TEAM",
    "UNFIT",
    "Verdict",
    "hours",
    "outcome",
    "percent",
    "verdict",
]

# Below about ten engineers the upkeep of a local stack is a real share of the team's time
# (a rule of thumb, not a published figure: the verdict says it, it does not decide on it).
SMALL_TEAM = 10


@dataclass(frozen=True)
class Verdict:
    headline: str
    reasons: list[str]


def percent(share: Decimal) -> str:
    """'3 %', '99.9 %' (never '100 %' for less than all), 'under 0.1 %'."""
    value = share * 100
    whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if 0 < value < Decimal("0.1"):
        return "under 0.1 %"
    if whole == 0 and value > 0:
        return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"
    if whole == 100 and value < 100:
        return f"{value.quantize(Decimal('0.1'), rounding=ROUND_DOWN)} %"
    return f"{whole} %"


def hours(value: Decimal) -> str:
    """Hours to one decimal without a trailing '.0': '3', '4.5'."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _replicas(n: int) -> str:
    return f"{n} replica{'s' if n != 1 else ''}"


# Which case of the verdict a result is, in the order the rule decides them. Every wording
# (the headline here, the one-word column of `breakeven --compare`) branches on this.
UNFIT, PAYS_OFF, COSTS_MORE = "unfit", "pays off", "costs more"
NOT_CHEAPEST, NO_PAYBACK, INSIDE_MARGIN = "not cheapest", "no payback", "inside margin"


def outcome(result: BreakEven) -> str:
    """UNFIT, PAYS_OFF, or which of the pay-off conditions self-hosting misses (the first)."""
    if not result.capacity.fits:
        return UNFIT
    if result.pays_off:
        return PAYS_OFF
    if result.saving_usd <= 0:
        return COSTS_MORE
    if result.self_host.monthly_usd >= result.hosted.monthly_usd:
        return NOT_CHEAPEST
    if not result.pays_back:
        return NO_PAYBACK
    return INSIDE_MARGIN


def _headline(result: BreakEven) -> str:
    """One sentence that names the option to take and what it saves.

    "Pays off" is said only of self-hosting when it is the cheapest option, its saving clears
    the margin and bought hardware pays back within its life; otherwise the sentence says which
    of those it misses, so a thin or uncertain saving is never sold as a win.
    """
    a, case = result.assumptions, outcome(result)
    if case == UNFIT:
        return (
            f"Self-hosting is not possible as configured: the {a.model_class.upper()} model "
            f"does not fit {a.gpus_per_replica} × {a.gpu}."
        )
    saving = result.saving_usd
    share = ZERO if result.self_host_cost is None else saving / result.self_host_cost.monthly_usd
    if case == PAYS_OFF:
        return (
            f"Self-hosting would pay off: {format_usd(saving)}/month less than today's API "
            f"bill, {percent(share)} of its own cost (the margin asked is "
            f"{percent(a.payoff_margin)})."
        )
    text = {
        COSTS_MORE: f"Stay on the API: self-hosting would cost {format_usd(-saving)}/month more.",
        NOT_CHEAPEST: (
            f"Self-hosting would save {format_usd(saving)}/month, but it is not the cheapest "
            "option."
        ),
        NO_PAYBACK: (
            f"Stay on the API: self-hosting would save {format_usd(saving)}/month, but the "
            f"bought hardware would not pay for itself within its {a.amortization_months}-month "
            "life."
        ),
        INSIDE_MARGIN: (
            f"Too close to call: self-hosting would save {format_usd(saving)}/month, "
            f"{percent(share)} of its own cost, inside the {percent(a.payoff_margin)} margin "
            "its estimate needs. Stay on the API for now."
        ),
    }[case]
    hosted_saving = result.status_quo.monthly_usd - result.hosted.monthly_usd
    if result.best is result.hosted and hosted_saving > 0:
        text += (
            f" Cheapest of all: a hosted open-weight API, {format_usd(hosted_saving)}"
            "/month less than today."
        )
    return text


def _fit_reason(result: BreakEven) -> str:
    a, c = result.assumptions, result.capacity
    return (
        f"Its weights need {c.weights_gb:.0f} GB with runtime overhead; a replica of "
        f"{a.gpus_per_replica} × {a.gpu} has {c.usable_gb:.1f} GB usable. "
        "Use more GPUs per replica or a smaller model."
    )


def _breakeven_reasons(result: BreakEven) -> list[str]:
    bill = result.workload.api_usd
    if bill <= 0:
        return ["There is no API spend in the data window for self-hosting to replace."]
    if result.breakeven_api_usd is None:
        return ["It never pays off with this token mix: no number of replicas saves its cost."]
    out = [
        f"It breaks even at an API bill of {format_usd(result.breakeven_api_usd)}/month; "
        f"yours is {format_usd(bill)}."
    ]
    if result.payoff_api_usd is not None and result.payoff_api_usd != result.breakeven_api_usd:
        out.append(
            f"It saves more than the {percent(result.assumptions.payoff_margin)} margin its "
            f"estimate needs above {format_usd(result.payoff_api_usd)}/month."
        )
    if result.breakeven_month is not None:
        out.append(f"On the forecast, your bill passes it in {result.breakeven_month:%Y-%m}.")
    return out


def _capacity_reason(result: BreakEven) -> str:
    a, c, cost = result.assumptions, result.capacity, result.self_host_cost
    assert cost is not None
    start = f"The movable {percent(a.movable_frac)} peaks at {c.peak_tok_s:,.0f} output tok/s: "
    gpus = f"({cost.gpus} × {a.gpu})"
    verb = "serves" if cost.replicas == 1 else "serve"
    if result.served_share >= 1:
        return start + f"{_replicas(cost.replicas)} {gpus} {verb} it."
    return start + (
        f"{cost.replicas} of the {_replicas(c.replicas_needed)} it needs {gpus} {verb} "
        f"{percent(result.served_share)} of it; the rest stays on the API."
    )


def _hosted_reason(result: BreakEven) -> str:
    a, hosted = result.assumptions, result.hosted
    name = f"A hosted open-weight API ({a.hosted_name})"
    moved = hosted.lines[-1][1]
    if not result.capacity.fits:
        saving = result.status_quo.monthly_usd - hosted.monthly_usd
        return (
            f"{name} would take the movable {percent(a.movable_frac)} for {format_usd(moved)} "
            f"a month, {format_usd(saving)} less than today."
        )
    gap = result.self_host.monthly_usd - hosted.monthly_usd
    if gap > 0:
        return (
            f"{name} would cost {format_usd(moved)} a month for the movable "
            f"{percent(a.movable_frac)}, {format_usd(gap)} less in all than self-hosting."
        )
    return (
        f"Self-hosting also beats a hosted open-weight API ({a.hosted_name}, "
        f"{format_usd(hosted.monthly_usd)} a month in all) by {format_usd(-gap)}."
    )


def _payback_reason(result: BreakEven) -> str | None:
    cost = result.self_host_cost
    if cost is None or cost.capex_usd <= 0:
        return None
    bought = f"Bought hardware ({format_usd(cost.capex_usd)})"
    if result.payback_months is None:
        return f"{bought} never pays for itself: the savings do not cover the running costs."
    months = result.assumptions.amortization_months
    if not result.pays_back:
        return (
            f"{bought} does not pay back: it would take {result.payback_months:.1f} months of "
            f"savings, longer than its {months}-month life."
        )
    return f"{bought} pays for itself in {result.payback_months:.1f} months of savings."


def _tax_reason(result: BreakEven) -> str | None:
    a, cost = result.assumptions, result.self_host_cost
    if cost is None or cost.ops_usd <= 0:
        return None
    return (
        f"Operations ({hours(a.eng_hours_per_week)} h/week at "
        f"{format_usd(a.engineer_hour_usd)}/h) are {format_usd(cost.ops_usd)} of the "
        f"{format_usd(cost.monthly_usd)} a month self-hosting costs."
    )


def _measured_reason(result: BreakEven, weekly: Decimal, entries: int) -> str:
    text = (
        f"Engineering time measured from {entries} log entr{'y' if entries == 1 else 'ies'}: "
        f"{hours(weekly)} h/week"
    )
    assumed = result.assumptions.eng_hours_per_week
    if hours(assumed) != hours(weekly):
        text += f" (the model assumes {hours(assumed)} h/week)"
    return text + "."


def _team_reason(result: BreakEven, team: int) -> str:
    upkeep = hours(result.assumptions.eng_hours_per_week)
    return (
        f"With {team} engineer{'s' if team != 1 else ''}, {upkeep} h/week of upkeep comes out "
        f"of a small team: below about {SMALL_TEAM} engineers self-hosting rarely pays."
    )


def verdict(
    result: BreakEven,
    *,
    measured_weekly_hours: Decimal | None = None,
    measured_entries: int = 0,
    team_engineers: int | None = None,
) -> Verdict:
    """The headline and only the reasons that apply, each one short sentence with its numbers.

    team_engineers falls back to the assumption of the same name; measured hours come from the
    log (`/aicost log-hours`), which the model itself does not read.
    """
    reasons: list[str] = []
    if not result.capacity.fits:
        reasons += [_fit_reason(result), _hosted_reason(result)]
    else:
        reasons += _breakeven_reasons(result)
        reasons.append(_capacity_reason(result))
        if result.utilization < LOW_UTILIZATION:
            reasons.append(
                f"The GPUs would be busy {percent(result.utilization)} of the time: "
                "you would pay mostly for idle hardware."
            )
        reasons.append(_hosted_reason(result))
        reasons += [r for r in (_payback_reason(result), _tax_reason(result)) if r]
    if measured_weekly_hours is not None:
        reasons.append(_measured_reason(result, measured_weekly_hours, measured_entries))
    team = team_engineers if team_engineers is not None else result.assumptions.team_engineers
    if team is not None and team < SMALL_TEAM:
        reasons.append(_team_reason(result, team))
    return Verdict(_headline(result), reasons)
