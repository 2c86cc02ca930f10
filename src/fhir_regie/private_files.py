"""Files that hold personal data are created readable by their owner only (mode 0600).

One helper for every writer of such files (issue 17): ``consent share -o`` and its audit
file, the mapping layer's outputs and dead letters, and the sync engine's drop-directory
exports. An existing file gets mode 0600 too before it is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

PRIVATE = 0o600


def open_private(path: Path | str) -> TextIO:
    """Open ``path`` for writing text (UTF-8, truncated), created with mode 0600.

    Example::

        >>> import tempfile, stat
        >>> folder = Path(tempfile.mkdtemp())
        >>> with open_private(folder / "out.json") as sink:
        ...     _ = sink.write("{}")
        >>> oct(stat.S_IMODE((folder / "out.json").stat().st_mode))
        '0o600'
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    try:
        os.fchmod(descriptor, PRIVATE)  # also when the file was there already
    except OSError:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "w", encoding="utf-8")


def write_private(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8), the file created with mode 0600."""
    with open_private(path) as sink:
        sink.write(text)
