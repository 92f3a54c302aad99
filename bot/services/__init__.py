"""The services: one module per question or action (status, forecast, break-even, sync,
revenue, digest). They read and write through bot/db, compute with bot/core, and never
import Slack, the CLI or the composition root (import-linter contracts in pyproject.toml)."""
