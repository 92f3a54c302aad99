"""The digests and month-close reports sent: one row per key (one period, one channel),
recorded before posting so each is posted once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import DigestPostRow

__all__ = ["DigestLog"]


class DigestLog:
    """The `digest_posts` table: one row per key, claimed before posting, marked after."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def pending(self, key: str) -> bool:
        with Session(self.engine) as session:
            row = session.get(DigestPostRow, key)
            return row is not None and row.delivered_at is None

    def delivered(self, key: str) -> bool:
        with Session(self.engine) as session:
            row = session.get(DigestPostRow, key)
            return row is not None and row.delivered_at is not None

    def claim(self, key: str, now: datetime) -> bool:
        """Record the key (if new) and count an attempt; False when already delivered."""
        for _ in range(2):  # a concurrent first insert makes the second pass find the row
            try:
                with Session(self.engine) as session, session.begin():
                    row = session.scalars(
                        select(DigestPostRow).where(DigestPostRow.key == key).with_for_update()
                    ).first()
                    if row is None:
                        row = DigestPostRow(key=key, created_at=now, attempts=0, last_error="")
                        session.add(row)
                    if row.delivered_at is not None:
                        return False
                    row.attempts += 1
                    return True
            except IntegrityError:
                continue
        return False

    def post_started(self, key: str) -> datetime | None:
        """When a post under this key was started and never recorded, if one was."""
        with Session(self.engine) as session:
            row = session.get(DigestPostRow, key)
            return None if row is None or row.delivered_at is not None else row.post_started_at

    def mark_posting(self, key: str, *, at: datetime) -> None:
        """A post is about to start (`at`: real time), committed first (see the alerts')."""
        with Session(self.engine) as session, session.begin():
            row = session.get(DigestPostRow, key)
            if row is not None:
                row.post_started_at = at

    def update(self, key: str, *, delivered_at: datetime | None = None, error: str) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(DigestPostRow, key)
            if row is None:
                return
            if delivered_at is not None:
                row.delivered_at = delivered_at
            row.last_error = error
