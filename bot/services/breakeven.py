"""Gathering the break-even model's inputs from storage: workload, forecast, measured hours.

This is the one place that decides which stored days make "a month of traffic" (the last 28
complete days: four whole weeks, so weekends weigh right) and how a what-if bill is applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from ..core.breakeven import (
    PROFILES,
    AssumptionError,
    Workload,
    build_workload,
    evaluate,
    resolve,
    workload_from_spend,
)
from ..core.breakeven.peak import MIN_HOURS, MeasuredPeak, measure_peak
from ..core.breakeven.prices import price_data
from ..core.breakeven.sensitivity import InputRange, sensitivity
from ..core.breakeven.verdict import Verdict, verdict
from ..core.breakeven_report import BreakEvenReport, BreakEvenSummary, MeasuredHours, PeakBasis
from ..core.coverage import ProviderFreshness
from ..core.forecast import forecast_spend
from ..core.month import DAYS_PER_MONTH
from ..db.hourly_usage import HourlyUsageStore
from ..db.hours import HoursLog
from ..db.store import SpendStore
from ..errors import AicostError
from ..settings import Settings
from .freshness import load_freshness
from .known_spend import load_known_spend

__all__ = [
    "NoDataError",
    "compare_breakeven",
    "WINDOW_DAYS",
    "answer_breakeven",
    "breakeven_summary",
    "load_breakeven",
    "measured_hours",
    "measured_peak",
]

WINDOW_DAYS = 28
HISTORY_DAYS = 180


class NoDataError(AicostError):
    """Nothing stored to base an answer on; the message says what to do."""


def measured_hours(log: HoursLog, *, now: datetime) -> MeasuredHours | None:
    # As of a past moment, hours logged after it were not known yet.
    entries = [e for e in log.entries() if e.logged_at <= now]
    if not entries:
        return None
    first = entries[0].logged_at
    weeks = max(Decimal(1), Decimal((now - first).total_seconds()) / Decimal(7 * 86400))
    total = sum((e.hours for e in entries), Decimal(0))
    return MeasuredHours(entries=len(entries), total_hours=total, weeks=weeks, since=first.date())


# Providers with hourly usage must carry at least this share of the window's output tokens for
# their hours to stand for everyone's; the rest is assumed to follow the same hours.
MIN_MEASURED_SHARE = Decimal("0.5")


def measured_peak(
    store: SpendStore,
    output_by_provider: Mapping[str, int],
    window: tuple[date, date],
    settings: Settings,
    *,
    now: datetime,
) -> PeakBasis:
    """The busiest hour of the window, over the providers with hourly usage stored.

    Only hours every one of them has count (an hour one is missing from is unknown, not quiet).
    A provider with usage but no hours (one that refused them, or has none to give) is assumed
    to follow the same hours and is named; when such providers carry more than half of the
    output tokens, the measurement would speak for too little and the peak stays assumed.
    """
    if not output_by_provider:
        return PeakBasis(None, "no token usage stored")
    start = datetime.combine(window[0], time(0), tzinfo=UTC)
    end = min(datetime.combine(window[1], time(0), tzinfo=UTC), now.astimezone(UTC))
    by_provider: dict[str, dict[datetime, int]] = {}
    for h in HourlyUsageStore(store.engine).read(start, end):
        if h.provider in output_by_provider:
            by_provider.setdefault(h.provider, {})[h.hour] = h.output_tokens
    unmeasured = tuple(sorted(p for p in output_by_provider if p not in by_provider))
    total = sum(output_by_provider.values())
    covered = sum(n for p, n in output_by_provider.items() if p in by_provider)
    if not by_provider or (total and Decimal(covered) / total < MIN_MEASURED_SHARE):
        return PeakBasis(None, f"no hourly usage stored for {', '.join(unmeasured)}")
    known = set.intersection(*(set(hours) for hours in by_provider.values()))
    output = {h: sum(hours[h] for hours in by_provider.values()) for h in known}
    peak = measure_peak(output, tz=settings.tz, timezone=settings.timezone)
    if peak is None:
        have = len(known)
        if have < MIN_HOURS:
            return PeakBasis(None, f"hourly usage covers {have} h of the window (need {MIN_HOURS})")
        return PeakBasis(None, "hourly usage shows no output tokens in the window")
    share = Decimal(covered) / total if total else Decimal(1)
    return PeakBasis(peak, "", unmeasured=unmeasured, measured_share=share)


@dataclass(frozen=True, slots=True)
class _Inputs:
    """What every profile's answer shares: the workload, its window, the forecast months the
    pay-off month is read from, measured hours and freshness. Read once, so `--compare` asks
    the store and runs the forecast once, not once a profile."""

    today: date
    workload: Workload
    window: tuple[date, date] | None
    skipped: tuple[date, ...]
    months: list[tuple[date, Decimal]]
    measured: MeasuredHours | None
    freshness: list[ProviderFreshness]
    monthly_spend: Decimal | None
    peak: PeakBasis
    provider: str | None = None  # the one provider the workload is limited to, if any
    left_out: tuple[tuple[str, Decimal], ...] = ()  # sources without tokens, $ a month


def _gather(
    store: SpendStore,
    hours: HoursLog,
    settings: Settings,
    *,
    now: datetime,
    monthly_spend: Decimal | None,
    provider: str | None = None,
) -> _Inputs:
    today = now.astimezone(settings.tz).date()
    known = load_known_spend(store, today - timedelta(days=HISTORY_DAYS), today, only=provider)
    if provider is not None and not known.coverage.providers:
        raise NoDataError(f"nothing stored for provider {provider!r}: run `aicost sync`")
    # The month of traffic is the last 28 days with data, never unsynced days taken as $0:
    # when the data stops early the window ends where it stops, and says so.
    last = max(known.totals, default=None)
    end = today if last is None else last + timedelta(days=1)
    start = end - timedelta(days=WINDOW_DAYS)
    days = [d for d in known.totals if start <= d < end]
    skipped = known.coverage.missing(start, end)
    billed = sum((known.totals[d] for d in days), Decimal(0))
    counted = set(days)
    usage = [
        (u.provider, u.model, u.input_tokens, u.cached_input_tokens, u.output_tokens)
        for u in store.token_usage(start, end)
        if u.day in counted and provider in (None, u.provider)
    ]
    output_by_provider: dict[str, int] = {}
    for name, _, _, _, output in usage:
        output_by_provider[name] = output_by_provider.get(name, 0) + output
    peak = measured_peak(store, output_by_provider, (start, end), settings, now=now)
    window: tuple[date, date] | None = (start, end)
    workload: Workload
    # Spend from sources that report no tokens (Bedrock, Azure, Vertex AI, FOCUS imports) has
    # no traffic to size hardware for: counted in the workload's bill, it would make every
    # token look dearer and self-hosting look better. It is left out, and the answer says so.
    left_out: dict[str, Decimal] = {}
    share = Decimal(1)
    if usage and billed > 0:
        with_tokens = set(output_by_provider)
        for row in store.daily_spend(start, end):
            if (
                row.day in counted
                and provider in (None, row.provider)
                and (row.provider not in with_tokens)
            ):
                left_out[row.provider] = left_out.get(row.provider, Decimal(0)) + row.amount_usd
        tokened = billed - sum(left_out.values(), Decimal(0))
        share = tokened / billed
        per_month = DAYS_PER_MONTH / len(days)
        left_out = {name: usd * per_month for name, usd in sorted(left_out.items()) if usd}
        workload = build_workload(usage, billed_usd=tokened, start=start, end=end, days=len(days))
    elif billed > 0:
        workload = build_workload([], billed_usd=billed, start=start, end=end, days=len(days))
        workload = workload_from_spend(workload.api_usd)
    elif monthly_spend is not None:
        workload, window, skipped = workload_from_spend(monthly_spend), None, []
        peak = PeakBasis(None, "a what-if bill alone has no hours")
    else:
        scope = "" if provider is None else f" for {provider}"
        raise NoDataError(
            f"no billed spend stored{scope} for the last 28 days: run `aicost sync`, "
            "or ask a what-if with --monthly-spend USD"
        )
    scale = share  # the forecast is of every source's spend; the workload's is its share
    if monthly_spend is not None and workload.api_usd != monthly_spend:
        scale = share * monthly_spend / workload.api_usd
        workload = workload.scaled_to(monthly_spend)
    forecast = forecast_spend(known.totals, today=today) if known.totals else None
    months = []
    if forecast is not None:
        months = [(today.replace(day=1), forecast.month_end.point * scale)] + [
            (m.month, m.estimate.point * scale) for m in forecast.next_months
        ]
    return _Inputs(
        today=today,
        workload=workload,
        window=window,
        skipped=tuple(skipped),
        months=months,
        measured=measured_hours(hours, now=now),
        # Only the freshness of status is shown here; all of status cost a second forecast.
        freshness=load_freshness(store, known.coverage.providers),
        monthly_spend=monthly_spend,
        peak=peak,
        provider=provider,
        left_out=tuple(left_out.items()),
    )


def _report(
    inputs: _Inputs,
    settings: Settings,
    *,
    now: datetime,
    profile: str,
    overrides: Mapping[str, str] | None,
) -> BreakEvenReport:
    measured = inputs.measured
    layers = [("setting AICOST_BREAKEVEN", settings.breakeven_overrides)]
    peak = inputs.peak.measured
    if peak is not None:
        # Measured beats every assumed layer; only the query's own --set (a what-if) beats it.
        layers.append((f"measured (hourly usage, {peak.days} days)", peak.overrides()))
    if measured is not None:
        layers.append(
            (
                f"measured ({measured.entries} log entries)",
                # The logged hours are the whole fleet's: they replace the per-node growth too.
                {
                    "eng_hours_per_week": str(round(measured.weekly_average, 2)),
                    "eng_hours_per_extra_node": "0",
                },
            )
        )
    layers.append(("query", dict(overrides or {})))
    assumptions, origin = resolve(profile, *layers)
    workload, window = inputs.workload, inputs.window
    result = evaluate(workload, assumptions, forecast=inputs.months)
    return BreakEvenReport(
        result=result,
        profile=profile,
        origin=origin,
        as_of=now,
        timezone=settings.timezone,
        window=window,
        what_if_spend=inputs.monthly_spend,
        measured_hours=measured,
        price_data=price_data(),
        freshness=inputs.freshness,
        window_skipped=inputs.skipped,
        data_age_days=None if window is None else (inputs.today - window[1]).days + 1,
        sensitivity=(
            sensitivity(workload, assumptions, ranges=_measured_ranges(peak))
            if result.capacity.fits
            else None
        ),
        peak=inputs.peak,
        provider=inputs.provider,
        left_out=inputs.left_out,
    )


def _measured_ranges(peak: MeasuredPeak | None) -> dict[str, InputRange]:
    """A measured busiest hour is uncertain only by the percentile chosen: p95 to the top hour."""
    if peak is None:
        return {}
    low, high = peak.peak_factor_range()
    return {
        "peak_factor": InputRange(
            low, high, "measured: sized for the p95 hour to the busiest single hour"
        )
    }


def _answer(report: BreakEvenReport) -> tuple[BreakEvenReport, Verdict]:
    """The report with its verdict in plain words, measured hours included."""
    measured = report.measured_hours
    answer = verdict(
        report.result,
        measured_weekly_hours=measured.weekly_average if measured else None,
        measured_entries=measured.entries if measured else 0,
    )
    return report, answer


def load_breakeven(
    store: SpendStore,
    hours: HoursLog,
    settings: Settings,
    *,
    now: datetime,
    profile: str | None = None,
    overrides: Mapping[str, str] | None = None,
    monthly_spend: Decimal | None = None,
    provider: str | None = None,
) -> BreakEvenReport:
    inputs = _gather(
        store, hours, settings, now=now, monthly_spend=monthly_spend, provider=provider
    )
    chosen = profile or settings.breakeven_profile
    return _report(inputs, settings, now=now, profile=chosen, overrides=overrides)


def compare_breakeven(
    store: SpendStore,
    settings: Settings,
    *,
    now: datetime,
    overrides: Mapping[str, str] | None = None,
    monthly_spend: Decimal | None = None,
    provider: str | None = None,
) -> list[tuple[BreakEvenReport, Verdict]]:
    """The same question under every profile, on the same workload and the same overrides."""
    inputs = _gather(
        store,
        HoursLog(store.engine),
        settings,
        now=now,
        monthly_spend=monthly_spend,
        provider=provider,
    )
    return [
        _answer(_report(inputs, settings, now=now, profile=profile, overrides=overrides))
        for profile in PROFILES
    ]


def answer_breakeven(
    store: SpendStore,
    settings: Settings,
    *,
    now: datetime,
    profile: str | None = None,
    overrides: Mapping[str, str] | None = None,
    monthly_spend: Decimal | None = None,
    provider: str | None = None,
) -> tuple[BreakEvenReport, Verdict]:
    """The report and its verdict in plain words: what the CLI and Slack both show."""
    report = load_breakeven(
        store,
        HoursLog(store.engine),
        settings,
        now=now,
        profile=profile,
        overrides=overrides,
        monthly_spend=monthly_spend,
        provider=provider,
    )
    return _answer(report)


def breakeven_summary(
    store: SpendStore, settings: Settings, *, now: datetime
) -> tuple[BreakEvenSummary | None, str]:
    """The break-even line's figures, or why there are none ("unavailable: ..."): the digest
    and the App Home say it beside other figures, so a missing answer must not stop them."""
    try:
        report, _ = answer_breakeven(store, settings, now=now)
    except NoDataError:
        return None, "unavailable: no billed spend in the last 28 days"
    except AssumptionError as exc:  # e.g. measured hours past a bound: the rest still goes out
        return None, f"unavailable: {exc}"
    if not report.result.capacity.fits:
        return None, f"unavailable: the model does not fit the GPUs of profile {report.profile}"
    return BreakEvenSummary.of(report), ""
