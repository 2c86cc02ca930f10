"""Spreadsheet formula injection in the CSV files the project writes (OWASP "CSV injection").

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula: a Task description ``=HYPERLINK("https://...","Klik")`` or ``=cmd|' /C
calc'!A0`` in a partner's CSV would run when a colleague opens the file. Every CSV cell we write
goes through :func:`neutralise`, every cell we read through :func:`restore`.

The rule (docs/mapping.md, "Formula cells"):

- writing: a cell that starts with one of the trigger characters gets one ``'`` in front; so
  does a cell that already starts with ``'`` followed by a trigger character or another ``'``
  (that keeps reading unambiguous; ``'s-Hertogenbosch`` stays as it is); a plain decimal number
  (``-5``, ``+31612345678``, ``-0,5``) is left alone: a spreadsheet reads it as a number, never as
  a formula, and partner systems expect numbers as numbers;
- reading: a cell that starts with ``'`` followed by a trigger character or another ``'`` loses
  that first ``'``; anything else is read as it stands.

So ``restore(neutralise(text)) == text`` for every text (the round-trip law,
``tests/unit/mapping/test_formula_cells.py``).
"""

from __future__ import annotations

import re

TRIGGERS = frozenset("=+-@\t\r")
QUOTE = "'"
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def neutralise(cell: str) -> str:
    """The cell as it is written to CSV.

    Example::

        >>> neutralise('=HYPERLINK("https://example.org","Klik")')
        '\\'=HYPERLINK("https://example.org","Klik")'
        >>> neutralise("-5"), neutralise("+31 6 12345678"), neutralise("'s-Hertogenbosch")
        ('-5', "'+31 6 12345678", "'s-Hertogenbosch")
        >>> neutralise("'=1+1")
        "''=1+1"
    """
    if not cell:
        return cell
    if cell[0] in TRIGGERS:
        return cell if _NUMBER.fullmatch(cell) else QUOTE + cell
    return QUOTE + cell if _quoted(cell) else cell


def _quoted(cell: str) -> bool:
    return len(cell) > 1 and cell[0] == QUOTE and (cell[1] in TRIGGERS or cell[1] == QUOTE)


def restore(cell: str) -> str:
    """The original value of a cell read from CSV (the inverse of :func:`neutralise`).

    Example::

        >>> restore("'=cmd|' /C calc'!A0"), restore("'s-Hertogenbosch"), restore("''=1+1")
        ("=cmd|' /C calc'!A0", "'s-Hertogenbosch", "'=1+1")
    """
    return cell[1:] if _quoted(cell) else cell
