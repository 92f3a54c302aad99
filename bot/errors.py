"""One base for every error a user can cause or meet, so edges catch one class, not a list.

`str()` of an AicostError is one line, safe to show: no secret, no traceback. Each keeps its
older base too (ValueError for bad input), so nothing that caught it before misses it now.
"""

from __future__ import annotations

__all__ = ["AicostError"]


class AicostError(Exception):
    """A failure to report in one line (a bad setting or input, missing data, a refusal)."""
