"""How long each provider may still change a day's billed figure after the day ends.

These are the providers' documented behaviour (see shared/reference/PROVIDER_APIS.md §9), not
settings: a sync re-fetches this many days back on every run so that late revisions land.

- Anthropic: cost data is "not final until about 30 days after the usage date" (Usage and
  Cost API docs); 31 days is one page of daily buckets.
- AWS Cost Explorer (Bedrock): data refreshes at least once every 24 h and estimated charges
  are revised for days (the month is final after the invoice): the last 7 days are re-read,
  two requests ($0.02) a sync for most accounts.
- Azure Cost Management: usage arrives hours to a day late and late records keep arriving for
  several days; a day is provisional for at least 3 days, so the last 5 are re-read.
- Google Cloud's billing export loads at irregular intervals with no latency guarantee, and
  late rows keep arriving for days: the last 5 days are re-read (one query).
- OpenAI documents no revision window for the Costs API; recent days do fill in over a day or
  two, so the last 3 days are re-fetched (a day counts as settled 48 h after it ends).

Both also have the previous month re-fetched once after it closes (done by the sync).
"""

from __future__ import annotations

__all__ = ["DEFAULT_REVISION_DAYS", "REVISION_DAYS", "revision_days"]

DEFAULT_REVISION_DAYS = 3
REVISION_DAYS = {
    "anthropic": 31,
    "aws-bedrock": 7,
    "azure": 5,
    "gcp-vertex": 5,
    "openai": DEFAULT_REVISION_DAYS,
}


def revision_days(provider: str) -> int:
    return REVISION_DAYS.get(provider, DEFAULT_REVISION_DAYS)
