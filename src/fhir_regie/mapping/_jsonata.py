"""The one import of ``jsonata-python``.

Importing it raises the interpreter's recursion limit to 10000 for the whole process (a side
effect in its class initialiser). That changes behaviour elsewhere: deeply nested JSON that the
validator must reject as "nested too deep" would parse, and a deep recursion could overflow the
C stack instead of raising RecursionError. So the limit is put back right after the import; our
maps are shallow and evaluate well within the default limit.
"""

from __future__ import annotations

import sys

_limit = sys.getrecursionlimit()
try:
    from jsonata import Jsonata
    from jsonata.jexception import JException
finally:
    sys.setrecursionlimit(_limit)

__all__ = ["JException", "Jsonata"]
