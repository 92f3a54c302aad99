"""The password inside DATABASE_URL, found the way a person wrote it, so that it is never shown.

SQLAlchemy's URL parser ends the password at the first "@", so a password holding an unencoded
"@" (or "/") is half read as the host, and half printed in "database error at ..." lines and
in the driver's "could not resolve host" text. Here the credentials run to the *last* "@" before
any query string, which holds however the URL is malformed: at worst more is hidden, never less.
"""

from __future__ import annotations

__all__ = ["database_password", "quote_password", "without_password"]

HIDDEN = "***"


def _split(url: str) -> tuple[str, str, str] | None:
    """(scheme://, user:password, rest after the '@'), or None when there are no credentials."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return None
    authority_and_path = rest.partition("?")[0]
    at = authority_and_path.rfind("@")
    if at < 0:
        return None
    return scheme + sep, rest[:at], rest[at + 1 :]


def database_password(url: str) -> str | None:
    """The password as written in url ("p@ss/word" included), or None if it has none."""
    parts = _split(url)
    if parts is None:
        return None
    _, credentials, _ = parts
    user, colon, password = credentials.partition(":")
    return password if colon and password else None


def without_password(url: str) -> str:
    """url with its password replaced by ***: safe in any message, whatever the URL holds."""
    parts = _split(url)
    if parts is None or database_password(url) is None:
        return url
    start, credentials, rest = parts
    return f"{start}{credentials.partition(':')[0]}:{HIDDEN}@{rest}"


def quote_password(url: str) -> str:
    """url with any "@" inside its password percent-encoded, so that it parses as written.

    Only "@" ends SQLAlchemy's password early ("/" and ":" parse as they are), and "%40" is read
    back as "@", so a password that works in psql works here instead of becoming part of a host.
    """
    parts = _split(url)
    password = database_password(url)
    if parts is None or password is None or "@" not in password:
        return url
    start, credentials, rest = parts
    user = credentials.partition(":")[0]
    return f"{start}{user}:{password.replace('@', '%40')}@{rest}"
