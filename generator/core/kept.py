"""What a preview (`make serve`) keeps from one build to the next: values by key, each with
the stamp of what it was made from (stage.list_stamps), so that an edit makes again only what
it touches. A full build keeps nothing: `reuse(None, …)` always makes the value."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Kept:
    """Values kept between the builds of one preview, by key, with their stamps."""

    def __init__(self) -> None:
        self._values: dict = {}
        self._used: set = set()

    def get(self, key: Hashable, stamp: object, make: Callable[[], T]) -> T:
        """The value made for `stamp` by an earlier build, or `make()` (kept for the next)."""
        self._used.add(key)
        old = self._values.get(key)
        if old is not None and old[0] == stamp:
            return old[1]
        value = make()
        self._values[key] = (stamp, value)
        return value

    def forget_unused(self) -> None:
        """At the end of a build: drop what it did not ask for (a list or topic removed)."""
        for key in set(self._values) - self._used:
            del self._values[key]
        self._used.clear()


def reuse(kept: Kept | None, key: Hashable, stamp: object, make: Callable[[], T]) -> T:
    return make() if kept is None else kept.get(key, stamp, make)
