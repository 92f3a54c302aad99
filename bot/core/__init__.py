"""The pure core: money, the clock, coverage, the forecast, growth, the back-test and the
break-even model. Plain Python over plain values: no database, settings, HTTP, Slack or
rendering (an import-linter contract in pyproject.toml holds it to that)."""
