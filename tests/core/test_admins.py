"""Who may change things from Slack: the ids in AICOST_ADMINS, exactly, and nobody else.

Revenue, logged hours and snoozes silence or move the figures a whole team relies on, so a
mistake here either locks the operator out or lets anyone in. The Slack tests check the refusal
end to end; these pin the rule itself, in process, where mutation testing can reach it.
"""

from __future__ import annotations

import pytest

from bot.core.admins import is_admin, parse_admins
from bot.settings import load_settings


@pytest.mark.parametrize(
    ("raw", "admins"),
    [
        ("U01LEAD", {"U01LEAD"}),
        ("U01LEAD,U02OPS", {"U01LEAD", "U02OPS"}),
        # Blanks around ids, as people type lists: stripped, not part of the id.
        (" U01LEAD ,  U02OPS\t", {"U01LEAD", "U02OPS"}),
        # A trailing comma or a doubled one adds nobody (no empty id that "" could match).
        ("U01LEAD,", {"U01LEAD"}),
        ("U01LEAD,, ,U02OPS", {"U01LEAD", "U02OPS"}),
        # The same id twice is one admin.
        ("U01LEAD,U01LEAD", {"U01LEAD"}),
        # Unset or blank: nobody may change anything from Slack.
        ("", set()),
        ("  ", set()),
        (",", set()),
    ],
)
def test_admins_are_the_listed_ids(raw: str, admins: set[str]) -> None:
    """Each comma-separated id, blanks trimmed, empty entries dropped."""
    assert parse_admins(raw) == frozenset(admins)


def test_an_unset_setting_makes_nobody_an_admin() -> None:
    """With AICOST_ADMINS unset, every Slack change is refused, even for an empty user id."""
    nobody = parse_admins("")
    assert not is_admin("U01LEAD", nobody)
    assert not is_admin("", nobody)


def test_only_listed_ids_are_admins() -> None:
    """Listed ids may change things; anyone else, a prefix of an id, or another case may not."""
    admins = parse_admins("U01LEAD, U02OPS")
    assert is_admin("U01LEAD", admins) and is_admin("U02OPS", admins)
    assert not is_admin("U03GUEST", admins)
    assert not is_admin("U01", admins)  # not a substring match
    assert not is_admin("u01lead", admins)  # Slack ids are case-sensitive
    assert not is_admin("", admins)  # a press with no user id in it
    assert not is_admin("U01LEAD, U02OPS", admins)  # the raw setting is not an id


def test_settings_read_admins_from_aicost_admins(monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment variable, through the settings, gives the same set the rule decides on."""
    monkeypatch.setenv("AICOST_ADMINS", "U01LEAD , U02OPS,")
    settings = load_settings(DATABASE_URL="sqlite://")
    assert settings.admins == frozenset({"U01LEAD", "U02OPS"})
    assert is_admin("U02OPS", settings.admins) and not is_admin("U03GUEST", settings.admins)
