"""DATABASE_URL's password is found as written, and never shown, however the URL is malformed."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from bot.db.credentials import database_password, quote_password, without_password
from bot.db.engine import normalize_url
from bot.settings import load_settings


@pytest.mark.parametrize(
    ("url", "password", "shown"),
    [
        (
            "postgresql://aicost:hunter2@db:5432/aicost",
            "hunter2",
            "postgresql://aicost:***@db:5432/aicost",
        ),
        # An unencoded "@": SQLAlchemy would read "pa" and a host "SECRETPART99xyz@127.0.0.1".
        (
            "postgresql://postgres:pa@SECRETPART99xyz@127.0.0.1/x",
            "pa@SECRETPART99xyz",
            "postgresql://postgres:***@127.0.0.1/x",
        ),
        (
            "postgres://u:a/b:c@h/db?sslmode=require",
            "a/b:c",
            "postgres://u:***@h/db?sslmode=require",
        ),
        ("postgresql://u:p%40ss@h/db", "p%40ss", "postgresql://u:***@h/db"),  # already encoded
        ("postgresql://u@h/db", None, "postgresql://u@h/db"),  # no password: nothing to hide
        ("postgresql://u:@h/db", None, "postgresql://u:@h/db"),  # an empty one neither
        ("sqlite:///tmp/a@b.db", None, "sqlite:///tmp/a@b.db"),  # no credentials in a path
        ("not a url at all", None, "not a url at all"),
        # A query holding "@" is not read as credentials.
        ("postgresql://h/db?application_name=a@b", None, "postgresql://h/db?application_name=a@b"),
    ],
)
def test_the_password_as_written_and_the_url_without_it(
    url: str, password: str | None, shown: str
) -> None:
    assert database_password(url) == password
    assert without_password(url) == shown


def test_an_at_sign_in_the_password_is_encoded_so_the_url_works() -> None:
    url = "postgresql://postgres:pa@SECRETPART99xyz@127.0.0.1:5432/aicost"
    assert quote_password(url) == "postgresql://postgres:pa%40SECRETPART99xyz@127.0.0.1:5432/aicost"
    parsed = make_url(normalize_url(url))
    assert (parsed.password, parsed.host, parsed.port) == ("pa@SECRETPART99xyz", "127.0.0.1", 5432)
    assert quote_password("postgresql://u:p%40ss@h/db") == "postgresql://u:p%40ss@h/db"


def test_the_whole_password_is_a_secret_to_scrub() -> None:
    settings = load_settings(DATABASE_URL="postgresql://postgres:pa@SECRETPART99xyz@127.0.0.1/x")
    assert "pa@SECRETPART99xyz" in settings.secret_values()
