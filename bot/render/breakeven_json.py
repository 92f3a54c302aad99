"""`aicost breakeven --json`: one object with the verdict, every option and every input.

Dollars are JSON numbers rounded to the cent (float of a cent-rounded Decimal prints back
exactly); Decimal assumptions are strings so nothing is lost; ratios are rounded to what
they can honestly claim.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.breakeven import LOW_UTILIZATION, Assumptions, BreakEven, Option
from ..core.breakeven.peak import PEAK_PERCENTILE
from ..core.breakeven.verdict import Verdict
from ..core.breakeven_report import BreakEvenReport
from ..core.money import ZERO, json_usd
from .breakeven_text import assumption_rows, shown

__all__ = ["breakeven_json"]


def _round(value: Decimal, places: int) -> float:
    return float(round(value, places))


def _option(option: Option) -> dict[str, Any]:
    breakdown: dict[str, Decimal] = {}
    for label, usd in shown(option):  # should two lines share a label, add them up
        breakdown[label] = breakdown.get(label, ZERO) + usd
    return {
        "name": option.name,
        "monthly_usd": json_usd(option.monthly_usd),
        "breakdown": {label: json_usd(usd) for label, usd in breakdown.items()},
    }


def _best_key(result: BreakEven) -> str:
    best = result.best
    if best is result.status_quo:
        return "status_quo"
    return "hosted_open_weight" if best is result.hosted else "self_host"


def _capacity(result: BreakEven) -> dict[str, Any]:
    c, cost = result.capacity, result.self_host_cost
    return {
        "fits": c.fits,
        "weights_gb": _round(c.weights_gb, 1),
        "usable_gb": _round(c.usable_gb, 1),
        "peak_tok_s": _round(c.peak_tok_s, 1),
        "replica_tok_s": _round(c.replica_tok_s, 1),
        "replicas_needed": c.replicas_needed,
        "replicas": None if cost is None else cost.replicas,
        "gpus": None if cost is None else cost.gpus,
        "servers": None if cost is None else cost.servers,
        "nodes": None if cost is None else cost.nodes,  # what operations hours scale with
        "hours_on": _round(c.hours_on, 1),
        "served_share": _round(result.served_share, 4),
        "utilization": _round(result.utilization, 4),
        "low_utilization": c.fits and result.utilization < LOW_UTILIZATION,
    }


def _operations(result: BreakEven) -> dict[str, Any] | None:
    """The people side: weekly hours, the team's share of its week, and whether it can absorb it."""
    cost = result.self_host_cost
    if cost is None:
        return None
    return {
        "hours_per_week": _round(cost.ops_hours, 2),
        "customer_facing": result.assumptions.customer_facing,
        "team_engineers": result.assumptions.team_engineers,
        "team_share": None if result.team_share is None else _round(result.team_share, 4),
        "team_absorbs": result.team_absorbs,
    }


def _assumptions(a: Assumptions, origin: dict[str, str]) -> dict[str, Any]:
    """Each relevant assumption's value (Decimals as strings) and where it came from."""
    out = {}
    for name, _, source in assumption_rows(a, origin):
        value = getattr(a, name)
        out[name] = {"value": str(value) if isinstance(value, Decimal) else value, "source": source}
    return out


def _sensitivity(report: BreakEvenReport) -> dict[str, Any] | None:
    s = report.sensitivity
    if s is None:
        return None
    span = s.breakeven_range
    return {
        # [lowest, highest]; highest None when some end never breaks even.
        "breakeven_range_usd": None if span is None else [json_usd(span[0]), json_usd(span[1])],
        "inputs": [
            {
                "name": w.name,
                "value": float(w.value),
                "low": float(w.low),
                "high": float(w.high),
                "source": w.source,
                "breakeven_at_low_usd": json_usd(w.breakeven_at_low),
                "breakeven_at_high_usd": json_usd(w.breakeven_at_high),
                # The verdict is the other one when the input is below (or above) this value.
                "flips_at": None if w.flips_at is None else float(round(w.flips_at, 4)),
                "flips_when": None
                if w.flips_at is None
                else ("below" if w.flips_below else "above"),
            }
            for w in s.swings
        ],
    }


def _peak(report: BreakEvenReport) -> dict[str, Any]:
    """What capacity was sized for: measured from hourly usage, or assumed and why."""
    peak = report.peak.measured
    if peak is None:
        return {"measured": False, "why_assumed": report.peak.why_assumed}
    return {
        "measured": True,
        "percentile": PEAK_PERCENTILE,
        "start": peak.start.isoformat(),
        "end": peak.end.isoformat(),
        "hours": peak.hours,
        "peak_output_tokens": peak.peak_output,
        "p95_output_tokens": peak.low_output,
        "max_output_tokens": peak.max_output,
        "active_hours_per_month": float(peak.active_hours_per_month),
        "peak_factor": float(peak.peak_factor),
        "busiest": peak.busiest_label(),
        # Mean output tokens by local weekday (Monday first) and hour.
        "weekday_hour_profile": [list(day) for day in peak.profile],
        "used": report.origin.get("peak_factor", "").startswith("measured"),
        "providers_without_hours": list(report.peak.unmeasured),
        "measured_share_of_output": float(report.peak.measured_share),
    }


def breakeven_json(report: BreakEvenReport, verdict: Verdict) -> dict[str, Any]:
    """The `--json` object; json.dumps-able as it is."""
    result = report.result
    w = result.workload
    m = report.measured_hours
    payback = result.payback_months
    return {
        "pays_off": result.pays_off,
        "monthly_api_usd": json_usd(result.status_quo.monthly_usd),
        "monthly_local_usd": json_usd(result.self_host.monthly_usd),
        "monthly_hosted_usd": json_usd(result.hosted.monthly_usd),
        "best_option": _best_key(result),
        "monthly_savings_usd": json_usd(result.monthly_savings),
        "self_host_saving_usd": json_usd(result.saving_usd),  # against the API; may be < 0
        "payoff_margin": float(result.assumptions.payoff_margin),
        "pays_back": result.pays_back,
        "breakeven_api_usd": json_usd(result.breakeven_api_usd),
        "payoff_api_usd": json_usd(result.payoff_api_usd),
        "sensitivity": _sensitivity(report),
        "breakeven_month": (
            None if result.breakeven_month is None else result.breakeven_month.strftime("%Y-%m")
        ),
        "payback_months": None if payback is None else _round(payback, 1),
        "operations": _operations(result),
        "profile": report.profile,
        "provider": report.provider,  # null: every provider's workload together
        # Spend a month of sources without token counts, not in the workload's bill.
        "left_out_usd": {name: json_usd(usd) for name, usd in report.left_out},
        "options": {
            "status_quo": _option(result.status_quo),
            "hosted_open_weight": _option(result.hosted),
            "self_host": _option(result.self_host),
        },
        "capacity": _capacity(result),
        "workload": {
            "api_usd": json_usd(w.api_usd),
            "input_tokens": w.input_tokens,
            "cached_input_tokens": w.cached_input_tokens,
            "output_tokens": w.output_tokens,
            "basis": w.basis,
            "models": [
                {
                    "provider": v.provider,
                    "model": v.model,
                    "input_tokens": v.input_tokens,
                    "cached_input_tokens": v.cached_input_tokens,
                    "output_tokens": v.output_tokens,
                    "list_usd": json_usd(v.list_usd),
                }
                for v in w.models
            ],
        },
        "assumptions": _assumptions(result.assumptions, report.origin),
        "verdict": {"headline": verdict.headline, "reasons": list(verdict.reasons)},
        "as_of": report.as_of.isoformat(),
        "timezone": report.timezone,
        "data_window": (
            None
            if report.window is None
            else {
                "start": report.window[0].isoformat(),
                "end": report.window[1].isoformat(),
                "days_without_data": [d.isoformat() for d in report.window_skipped],
                "ends_days_ago": report.data_age_days,
            }
        ),
        "what_if_spend_usd": json_usd(report.what_if_spend),
        "peak": _peak(report),
        "measured_hours": None
        if m is None
        else {
            "entries": m.entries,
            "total_hours": _round(m.total_hours, 2),
            "weekly_average": _round(m.weekly_average, 2),
            "since": m.since.isoformat(),
        },
        "price_data": report.price_data,
        "freshness": [
            {
                "provider": f.provider,
                "last_success_at": None
                if f.last_success_at is None
                else f.last_success_at.isoformat(),
                "last_error": f.last_error,
            }
            for f in report.freshness
        ],
    }
