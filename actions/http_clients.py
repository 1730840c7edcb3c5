"""One kept-alive HTTP client per service for the action server's calls (search API, desk).

A new httpx client for each call cost about 28 ms of CPU (it builds an SSL context, loading the CA
bundle, even for a plain http address) and a new connection: a question's turn spent more time
there than in the search itself (docs/benchmarks.md, Turn latency). Each client is made once per
event loop and kept; the action server runs one loop. An idle connection is dropped after
`KEEPALIVE_SECONDS`, before uvicorn closes it from its side (5 s): a request sent on a connection the
server is closing at that moment would fail.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx

KEEPALIVE_SECONDS = 2.0
_kept: dict[tuple[object, ...], tuple[asyncio.AbstractEventLoop, httpx.AsyncClient]] = {}


def kept_client(base_url: str, timeout: float, headers: Mapping[str, str] | None = None) -> httpx.AsyncClient:
    """The client for this address, timeout and headers, made on first use in the running loop."""
    loop = asyncio.get_running_loop()
    key = (base_url, timeout, tuple(sorted((headers or {}).items())))
    kept = _kept.get(key)
    if kept is None or kept[0] is not loop:
        # A client is bound to the loop it was first used in (its connections are).
        limits = httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS)
        kept = (loop, httpx.AsyncClient(base_url=base_url, timeout=timeout, headers=dict(headers or {}), limits=limits))
        _kept[key] = kept
    return kept[1]
