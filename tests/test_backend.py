"""The backend's per-index-stamp caches."""

from __future__ import annotations

from web.backend import _Cache


def test_cache_keeps_the_most_recent_items() -> None:
    cache = _Cache(2)
    for key in "abc":
        cache.put(("s",), key, key.upper())
    assert [cache.get(("s",), k) for k in "abc"] == [None, "B", "C"]
    assert cache.get(("other",), "c") is None


def test_byte_bounded_cache_evicts_by_total_length() -> None:
    cache = _Cache(8, max_bytes=25)
    for key in "abc":
        cache.put(("s",), key, b"x" * 10)
    assert [cache.get(("s",), k) for k in "abc"] == [None, b"x" * 10, b"x" * 10]
    assert cache.held == 20
    cache.put(("s",), "big", b"y" * 26)  # larger than the whole budget: not kept
    cache.put(("s",), "b", b"z" * 5)  # replacing a value counts its new length only
    assert cache.get(("s",), "big") is None and cache.held == 15
    cache.put(("new",), "a", b"x")  # another index stamp starts empty
    assert cache.held == 1 and cache.get(("new",), "b") is None
