"""Alembic environment: always run online, on the connection `bot.db.engine.upgrade` passes."""

from alembic import context

from bot.db.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
