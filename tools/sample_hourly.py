"""Hourly usage pages for the bundled sample, derived from its daily usage pages.

`bucket_width=1h`, ungrouped, for the last four weeks before the sample's moment: each day's
usage spread over its hours, with hour-to-hour noise, every hour summing back to its day.
OpenAI carries the team's chat features, used in office hours (14:00-23:00 UTC); Anthropic
carries its agents pipeline, which runs around the clock. Used by make_sample_pages.py.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

HOURLY_DAYS = 28
# Share of a working day's traffic by UTC hour before noise: quiet nights, a morning ramp, a
# plateau through the team's working hours. Weekends are flatter (and smaller, from `scale`).
WEEKDAY_HOURS = [0.15] * 6 + [0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9] + [1.0] * 8 + [0.6, 0.3]
WEEKEND_HOURS = [0.3] * 8 + [0.5] * 14 + [0.4, 0.3]
PIPELINE_HOURS = [1.0] * 24  # the agents pipeline drains its queue around the clock


def hourly_pages(
    provider: str, usage_pages: list[dict], rng: random.Random, *, as_of: datetime
) -> list[dict]:
    """One ungrouped bucket an hour for the last HOURLY_DAYS days, from the daily usage pages."""
    first = as_of.date() - timedelta(days=HOURLY_DAYS)
    buckets = []
    for page in usage_pages:
        for bucket in page["data"]:
            if provider == "openai":
                day = datetime.fromtimestamp(bucket["start_time"], tz=UTC).date()
            else:
                day = date.fromisoformat(bucket["starting_at"][:10])
            if day < first:
                continue
            hours = 24 if day < as_of.date() else as_of.hour  # the last day is partial
            if provider == "anthropic":
                shape = PIPELINE_HOURS
            else:
                shape = WEEKEND_HOURS if day.weekday() >= 5 else WEEKDAY_HOURS
            weights = [shape[h] * rng.uniform(0.75, 1.25) for h in range(hours)]
            totals = {
                key: sum(row.get(key, 0) for row in bucket["results"])
                for key in (
                    "input_tokens",
                    "input_cached_tokens",
                    "output_tokens",
                    "num_model_requests",
                    "uncached_input_tokens",
                    "cache_read_input_tokens",
                )
                if any(key in row for row in bucket["results"])
            }
            writes = sum(
                row.get("cache_creation", {}).get("ephemeral_5m_input_tokens", 0)
                for row in bucket["results"]
            )
            split = {key: _split(total, weights) for key, total in totals.items()}
            split_writes = _split(writes, weights)
            for h in range(hours):
                start = datetime.combine(day, time(h), tzinfo=UTC)
                row = {key: parts[h] for key, parts in split.items()}
                buckets.append(_hour_bucket(provider, start, row, split_writes[h]))
    buckets.sort(key=lambda b: b.get("start_time") or b.get("starting_at"))
    return _hour_paged(provider, buckets)


def _split(total: int, weights: list[float]) -> list[int]:
    """total in parts proportional to weights, whole numbers that add up to total exactly."""
    whole = sum(weights)
    parts = [int(total * w / whole) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _hour_bucket(provider: str, start: datetime, row: dict, writes: int) -> dict:
    end = start + timedelta(hours=1)
    if provider == "openai":
        result = {
            "object": "organization.usage.completions.result",
            **row,
            "project_id": None,
            "user_id": None,
            "api_key_id": None,
            "model": None,
            "batch": None,
            "service_tier": None,
        }
        return {
            "object": "bucket",
            "start_time": int(start.timestamp()),
            "end_time": int(end.timestamp()),
            "results": [result],
        }
    result = {
        "account_id": None,
        "api_key_id": None,
        "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": writes},
        "cache_read_input_tokens": row["cache_read_input_tokens"],
        "context_window": None,
        "inference_geo": None,
        "model": None,
        "output_tokens": row["output_tokens"],
        "server_tool_use": {"web_search_requests": 0},
        "service_account_id": None,
        "service_tier": None,
        "uncached_input_tokens": row["uncached_input_tokens"],
        "workspace_id": None,
    }
    return {
        "starting_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ending_at": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "results": [result],
    }


def _hour_paged(provider: str, buckets: list[dict]) -> list[dict]:
    """Pages of 168 hourly buckets (the documented maximum at `1h`)."""
    pages = []
    for index in range(0, len(buckets), 168):
        more = index + 168 < len(buckets)
        page = {
            "data": buckets[index : index + 168],
            "has_more": more,
            "next_page": f"page_h{index + 168}" if more else None,
        }
        pages.append({"object": "page", **page} if provider == "openai" else page)
    return pages
