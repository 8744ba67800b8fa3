"""Per-client rate limits for the work anyone may ask for without a token.

``POST /validate`` parses, converts (LibreOffice for .doc) and SHACL-checks an uploaded
card without storing it, so it needs no token, and it is the costliest thing an anonymous
client can ask for. Each client address gets a token bucket (``per_minute`` requests,
refilled evenly), so one client cannot keep the server's cores busy; a request over the
limit is answered 429 with ``Retry-After``. Clients with the write token are not limited.

>>> limit = RateLimit(per_minute=2, clock=iter([0.0, 0.0, 0.0, 30.0]).__next__)
>>> [limit.wait("10.0.0.1") for _ in range(4)]
[0.0, 0.0, 30.0, 0.0]
"""

from __future__ import annotations

import time
from collections.abc import Callable

MAX_CLIENTS = 10_000  # buckets kept; the fullest (idle longest) are dropped first


class RateLimit:
    """A token bucket per key: ``per_minute`` requests a minute, ``per_minute`` at once."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key: (tokens, when)

    def wait(self, key: str) -> float:
        """0 when ``key`` may go ahead now (and counts it), else the seconds to wait."""
        if self.per_minute <= 0:
            return 0.0
        now = self.clock()
        tokens, when = self._buckets.get(key, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - when) * self.per_minute / 60)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return (1 - tokens) * 60 / self.per_minute
        self._buckets[key] = (tokens - 1, now)
        if len(self._buckets) > MAX_CLIENTS:
            for old in sorted(self._buckets, key=lambda k: -self._buckets[k][0])[:1000]:
                del self._buckets[old]
        return 0.0
