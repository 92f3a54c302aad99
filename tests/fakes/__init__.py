"""Loopback stand-ins for the outside world: provider billing APIs and Slack."""
