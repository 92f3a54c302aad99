"""Who is an aicost admin: the Slack user ids in AICOST_ADMINS, and nobody else.

Admins may change things from Slack (revenue, operations hours, snoozes); everyone else may
only read. Parsing the setting and deciding for one user live together here, so the rule has
one home that the Slack handlers and their tests both reach.
"""

from __future__ import annotations

__all__ = ["is_admin", "parse_admins"]


def parse_admins(raw: str) -> frozenset[str]:
    """AICOST_ADMINS ('U01ABC, U02DEF') as a set of Slack user ids.

    Blanks around an id and empty entries (a trailing comma) are dropped, so an empty or unset
    setting means nobody is an admin.
    """
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def is_admin(user_id: str, admins: frozenset[str]) -> bool:
    """May `user_id` change things? Only if it is listed, exactly (Slack ids are case-sensitive)."""
    return user_id in admins
