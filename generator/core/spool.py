"""Files written to a folder as they are made, with only their sizes kept in memory.

The downloads of a big site are hundreds of MB (one JSON per item, the SQLite database, the
zipped tables): a build hands them to a Spool, which writes each to disk at once, and moves
the folder's files into the built site at the end (a rename on the same file system).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, MutableMapping
from pathlib import Path


class Spool(MutableMapping[str, bytes]):
    """A mapping of relative path → bytes whose values live in `folder`, not in memory."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.sizes: dict[str, int] = {}

    def __setitem__(self, rel: str, data: bytes) -> None:
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.sizes[rel] = len(data)

    def __getitem__(self, rel: str) -> bytes:
        if rel not in self.sizes:
            raise KeyError(rel)
        return (self.folder / rel).read_bytes()

    def __delitem__(self, rel: str) -> None:
        del self.sizes[rel]
        (self.folder / rel).unlink()

    def __iter__(self) -> Iterator[str]:
        return iter(self.sizes)

    def __len__(self) -> int:
        return len(self.sizes)

    def move_into(self, target: Path) -> None:
        """Move every file into `target` (same relative paths), then remove the folder."""
        for rel in sorted(self.sizes):
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.folder / rel, path) if _same_device(self.folder, path.parent) else shutil.move(self.folder / rel, path)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _same_device(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev
