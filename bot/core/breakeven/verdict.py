"""The break-even answer in plain words: one headline and the reasons behind it.

Pure like the rest of the model: it reads a BreakEven and a few facts the model does not hold
(measured engineering hours, team size) and returns sentences, each with the numbers that
support it, so the terminal, Slack and JSON all give the same verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ..money import ZERO, format_dollars
from .capacity import LOW_UTILIZATION
from .costs import HOURS_PER_ENGINEER_WEEK
from .model import BreakEven

__all__ = [
    "COSTS_MORE",
    "INSIDE_MARGIN",
    "NOT_CHEAPEST",
    "NO_PAYBACK",
    "ONCALL_ROTATION",
    "PAYS_OFF",
    "TEAM_TOO_SMALL",
    "UNFIT",
    "Verdict",
    "hours",
    "outcome",
    "percent",
    "verdict",
]

# Engineers a 24/7 rotation with a primary and a secondary needs at one site, each on call one
# week in four (Google, Site Reliability Engineering, ch. 11; cost model §1e). Said, not decided on.
ONCALL_ROTATION = 8


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
TEAM_TOO_SMALL = "team too small"


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
    if not result.team_absorbs:
        return TEAM_TOO_SMALL
    return INSIDE_MARGIN


def _headline(result: BreakEven) -> str:
    """One sentence that names the option to take and what it saves.

    "Pays off" is said only of self-hosting when it is the cheapest option, its saving clears
    the margin, bought hardware pays back within its life and the team can absorb its
    operations; otherwise the sentence says which of those it misses, so a thin or uncertain
    saving is never sold as a win.
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
            f"Self-hosting would pay off: {format_dollars(saving)}/month less than today's API "
            f"bill, {percent(share)} of its own cost (the margin asked is "
            f"{percent(a.payoff_margin)})."
        )
    text = {
        COSTS_MORE: (
            f"Stay on the API: self-hosting would cost {format_dollars(-saving)}/month more."
        ),
        NOT_CHEAPEST: (
            f"Self-hosting would save {format_dollars(saving)}/month, but it is not the cheapest "
            "option."
        ),
        NO_PAYBACK: (
            f"Stay on the API: self-hosting would save {format_dollars(saving)}/month, but the "
            f"bought hardware would not pay for itself within its {a.amortization_months}-month "
            "life."
        ),
        INSIDE_MARGIN: (
            f"Too close to call: self-hosting would save {format_dollars(saving)}/month, "
            f"{percent(share)} of its own cost, inside the {percent(a.payoff_margin)} margin "
            "its estimate needs. Stay on the API for now."
        ),
    }.get(case, "")
    if case == TEAM_TOO_SMALL:  # worded here: the team's figures exist only in this case
        text = (
            f"Stay on the API: self-hosting would save {format_dollars(saving)}/month, but "
            f"{_team_load(result)}, more than the {percent(a.max_team_ops_share)} the team "
            "can give to operations."
        )
    hosted_saving = result.status_quo.monthly_usd - result.hosted.monthly_usd
    if result.best is result.hosted and hosted_saving > 0:
        text += (
            f" Cheapest of all: a hosted open-weight API, {format_dollars(hosted_saving)}"
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
        f"It breaks even at an API bill of {format_dollars(result.breakeven_api_usd)}/month; "
        f"yours is {format_dollars(bill)}."
    ]
    if result.payoff_api_usd is not None and result.payoff_api_usd != result.breakeven_api_usd:
        out.append(
            f"It saves more than the {percent(result.assumptions.payoff_margin)} margin its "
            f"estimate needs above {format_dollars(result.payoff_api_usd)}/month."
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
            f"{name} would take the movable {percent(a.movable_frac)} for {format_dollars(moved)} "
            f"a month, {format_dollars(saving)} less than today."
        )
    gap = result.self_host.monthly_usd - hosted.monthly_usd
    if gap > 0:
        return (
            f"{name} would cost {format_dollars(moved)} a month for the movable "
            f"{percent(a.movable_frac)}, {format_dollars(gap)} less in all than self-hosting."
        )
    return (
        f"Self-hosting also beats a hosted open-weight API ({a.hosted_name}, "
        f"{format_dollars(hosted.monthly_usd)} a month in all) by {format_dollars(-gap)}."
    )


def _payback_reason(result: BreakEven) -> str | None:
    cost = result.self_host_cost
    if cost is None or cost.capex_usd <= 0:
        return None
    bought = f"Bought hardware ({format_dollars(cost.capex_usd)})"
    if result.payback_months is None:
        return f"{bought} never pays for itself: the savings do not cover the running costs."
    months = result.assumptions.amortization_months
    if not result.pays_back:
        return (
            f"{bought} does not pay back: it would take {result.payback_months:.1f} months of "
            f"savings, longer than its {months}-month life."
        )
    return f"{bought} pays for itself in {result.payback_months:.1f} months of savings."


def _hours_of(result: BreakEven) -> str:
    """'4.2 h/week for 5 nodes (1.4 for the first, 0.7 for each other)' or '3 h/week'."""
    a, cost = result.assumptions, result.self_host_cost
    assert cost is not None
    text = f"{hours(cost.ops_hours)} h/week"
    if cost.nodes > 1 and a.eng_hours_per_extra_node > 0:
        kind = "servers" if cost.servers else "replicas"
        text += (
            f" for {cost.nodes} {kind} ({hours(a.eng_hours_per_week)} for the first, "
            f"{hours(a.eng_hours_per_extra_node)} for each other)"
        )
    return text


def _tax_reason(result: BreakEven) -> str | None:
    a, cost = result.assumptions, result.self_host_cost
    if cost is None or cost.ops_usd <= 0:
        return None
    return (
        f"Operations, {_hours_of(result)} at {format_dollars(a.engineer_hour_usd)}/h, are "
        f"{format_dollars(cost.ops_usd)} of the {format_dollars(cost.monthly_usd)} a month "
        "self-hosting costs."
    )


def _oncall_reason(result: BreakEven) -> str | None:
    a, cost = result.assumptions, result.self_host_cost
    if cost is None or not a.customer_facing:
        return None
    text = (
        f"Customer-facing, so someone is on call: {format_dollars(a.oncall_usd_per_week)} a week "
        f"of stand-by premium, {format_dollars(cost.oncall_usd)} a month."
    )
    team = a.team_engineers
    if team is not None and team < ONCALL_ROTATION:
        text += (
            f" A 24/7 rotation with a primary and a secondary takes about {ONCALL_ROTATION} "
            f"engineers; you have {team}."
        )
    return text


def _measured_reason(weekly: Decimal, entries: int) -> str:
    return (
        f"Engineering time measured from {entries} log entr{'y' if entries == 1 else 'ies'}: "
        f"{hours(weekly)} h/week, which replaces the model's hours for every node count."
    )


def _team_load(result: BreakEven) -> str:
    """'its operations would take 4.2 h/week, 2 % of 5 engineers' 200 hours'."""
    a, cost = result.assumptions, result.self_host_cost
    assert cost is not None and a.team_engineers is not None and result.team_share is not None
    team = a.team_engineers
    whose = "engineer's" if team == 1 else "engineers'"
    return (
        f"its operations would take {hours(cost.ops_hours)} h/week, "
        f"{percent(result.team_share)} of {team} {whose} "
        f"{hours(team * HOURS_PER_ENGINEER_WEEK)} working hours"
    )


def _team_reason(result: BreakEven) -> str | None:
    if result.team_share is None or result.self_host_cost is None:
        return None
    text = f"For the team, {_team_load(result)}"
    limit = percent(result.assumptions.max_team_ops_share)
    if result.team_absorbs:
        return text + f": within the {limit} it can give to operations."
    return text + f": more than the {limit} it can give to operations."


def verdict(
    result: BreakEven,
    *,
    measured_weekly_hours: Decimal | None = None,
    measured_entries: int = 0,
) -> Verdict:
    """The headline and only the reasons that apply, each one short sentence with its numbers.

    Measured hours come from the log (`/aicost log-hours`); the service has already put them in
    place of the model's hours, and the reason says so.
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
        more = (_payback_reason, _tax_reason, _oncall_reason, _team_reason)
        reasons += [r for r in (reason(result) for reason in more) if r]
    if measured_weekly_hours is not None:
        reasons.append(_measured_reason(measured_weekly_hours, measured_entries))
    return Verdict(_headline(result), reasons)
