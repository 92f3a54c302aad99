"""The alert rules and the conditions they raise: plain functions of the figures, no storage.

The ledger that remembers what was raised and sent, and the service that posts, are in
`bot/alerts/`.
"""
