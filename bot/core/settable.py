"""Which settings a lead may change from Slack (or `aicost config set`), and which stay in the
environment.

A lead's knobs (the budget, where alerts and digests go and how often, the alert rules'
thresholds, currencies, the time zone, the break-even assumptions) are stored in the database
when set this way and win over the environment. Secrets, infrastructure (the database, base
URLs, the port), which sources are on, the scheduler's own switches, the pinned clock and
AICOST_ADMINS stay where the operator configures them: AICOST_ADMINS is the trust root that
decides who may change the rest, so it can never be changed by the people it admits.
"""

from __future__ import annotations

__all__ = ["SETTABLE", "is_settable", "not_settable_reason"]

# The environment variable's name (the same name a stored value is kept under), and what it is.
SETTABLE: dict[str, str] = {
    "AICOST_MONTHLY_BUDGET_USD": "monthly budget in US dollars",
    "AICOST_ALERT_CHANNEL": "channel id for alerts",
    "AICOST_DIGEST_CHANNEL": "channel id for the digest",
    "AICOST_DIGEST_CADENCE": "weekly, daily or monthly (or per channel: C123=daily, ...)",
    "AICOST_DIGEST_SCHEDULE": "day and time of the weekly digest, e.g. mon 09:00",
    "AICOST_SPIKE_FACTOR": "a day is a spike above this multiple of the median",
    "AICOST_SPIKE_FLOOR_USD": "and at least this many dollars above it",
    "AICOST_STALE_AFTER_HOURS": "hours without a successful sync before a source is stale",
    "AICOST_MAX_SPEND_SHARE": "ceiling for AI spend as a fraction of revenue",
    "AICOST_FX_RATES": "US dollars per unit of each other currency, e.g. EUR=1.0841",
    "AICOST_CURRENCY": "the currency people read figures in",
    "AICOST_TIMEZONE": "IANA time zone for days and months",
    "AICOST_BREAKEVEN_PROFILE": "the break-even profile",
    "AICOST_BREAKEVEN": "break-even assumption overrides, key=value ...",
}


def is_settable(name: str) -> bool:
    """May `name` be stored from Slack or the CLI? (Names are compared as given: upper case.)"""
    return name in SETTABLE


def not_settable_reason(name: str) -> str:
    """Why `name` cannot be set this way (said after the name: "NAME: ...")."""
    if name == "AICOST_ADMINS":
        return "stays in the environment: it decides who may change settings"
    return (
        "cannot be set here (secrets, infrastructure, sources and the scheduler stay in the "
        f"environment); settable: {', '.join(SETTABLE)}"
    )
