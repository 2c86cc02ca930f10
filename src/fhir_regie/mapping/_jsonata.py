"""The one import of the JSONata engine: ``jlens`` (a compiled engine; docs/mapping.md, "Engine
choice").

A map is compiled once (:class:`Expression`) and evaluated per record. Exceptions a helper raises
(``RuleError`` of ``$fail``, ``$coding``) come through unchanged; JSONata's own errors are
:class:`JlensError` with the JSONata error ``code`` (``T2001``) and the ``position`` in the map.
The engine leaves the interpreter's recursion limit alone (``jsonata-python``, used before,
raised it at import; ``tests/unit/mapping/test_malformed.py`` keeps checking).
"""

from __future__ import annotations

from jlens import Expression, JlensError

__all__ = ["Expression", "JlensError"]
