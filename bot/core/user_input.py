"""Reading what people type: months like 2026-10, amounts like $12,345.67, CSV files, hours.

Every mistake becomes a `RevenueInputError` whose message says what was wrong and where, so a
slash command or a CSV import can answer with it directly; nothing is stored from bad input.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from ..errors import AicostError

__all__ = [
    "HoursInputError",
    "MAX_REVENUE_USD",
    "RevenueInputError",
    "clean_note",
    "command_words",
    "parse_amount",
    "parse_csv",
    "parse_hours",
    "parse_month",
]

# Stored as integer nano-dollars in a BIGINT (max ~9.2e18): a billion dollars a month fits.
MAX_REVENUE_USD = Decimal("1e9")
MAX_HOURS_PER_ENTRY = Decimal(168)  # a week


class RevenueInputError(AicostError, ValueError):
    pass


class HoursInputError(AicostError, ValueError):
    pass


# What Slack clients (and macOS's smart punctuation) do to typed text: "--" becomes an em dash
# (or an en dash), quotes curl, and spaces turn non-breaking. A flag typed as "—monthly-spend"
# is the user's "--monthly-spend"; a dash standing alone, in a note, stays as it was.
_FLAG_DASH = re.compile(r"(?<!\S)[\u2014\u2013\u2012\u2212](?=[A-Za-z])")
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'"})
_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2009\u200a\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def command_words(text: str) -> list[str]:
    """A slash command's text as the words the user meant to type."""
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text)).translate(_QUOTES)
    return _FLAG_DASH.sub("--", text).split()


def parse_month(text: str) -> date:
    """'2026-10' (or '2026-10-01') as the first day of that month."""
    cleaned = text.strip()
    try:
        year, month = cleaned[:7].split("-")
        value = date(int(year), int(month), 1)
    except ValueError:
        raise RevenueInputError(f"{text!r} is not a month like 2026-10") from None
    if len(cleaned) not in (7, 10):
        raise RevenueInputError(f"{text!r} is not a month like 2026-10")
    return value


def parse_amount(text: str) -> Decimal:
    """'$12,345.67', '12345.67' or '12 345' as exact dollars (non-negative, at most cents)."""
    cleaned = text.strip().removeprefix("$").replace(",", "").replace(" ", "").replace("_", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise RevenueInputError(f"{text!r} is not an amount like 12345.67") from None
    if not value.is_finite() or value < 0 or value >= MAX_REVENUE_USD:
        raise RevenueInputError(f"{text!r} is not an amount between $0 and $1,000,000,000")
    if value != value.quantize(Decimal("0.01")):
        raise RevenueInputError(f"{text!r} has more than two decimal places")
    return value


def parse_csv(text: str) -> list[tuple[date, Decimal]]:
    """Rows of month,amount (a header row is allowed); a month repeated is an error."""
    rows: list[tuple[date, Decimal]] = []
    seen: dict[date, int] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and cells[0].lower() in ("month", "date", "period"):
            continue
        if len(cells) < 2:
            raise RevenueInputError(f"line {number}: expected month,amount")
        try:
            month, amount = parse_month(cells[0]), parse_amount(cells[1])
        except RevenueInputError as exc:
            raise RevenueInputError(f"line {number}: {exc}") from None
        if month in seen:
            raise RevenueInputError(
                f"line {number}: {month:%Y-%m} already given on line {seen[month]}"
            )
        seen[month] = number
        rows.append((month, amount))
    if not rows:
        raise RevenueInputError("no month,amount rows found")
    return rows


def clean_note(text: str, limit: int = 500) -> str:
    """A free-text note fit to store: at most `limit` characters, and valid UTF-8 (bytes that
    are not, which a shell can pass as arguments, become "?")."""
    return text.encode("utf-8", "replace").decode("utf-8", "replace")[:limit]


def parse_hours(text: str) -> Decimal:
    """Hours as typed ('1.5', '2h'): positive, at most a week per entry."""
    try:
        hours = Decimal(text.strip().lower().removesuffix("h"))
    except InvalidOperation:
        raise HoursInputError(f"{text!r} is not a number of hours like 1.5") from None
    if not hours.is_finite() or not 0 < hours <= MAX_HOURS_PER_ENTRY:
        raise HoursInputError(f"{text!r} must be more than 0 and at most 168 hours")
    if hours * 60 < 1:
        raise HoursInputError(f"{text!r} is under a minute; the log keeps whole minutes")
    return hours
