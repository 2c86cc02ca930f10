"""The sync engine: keep partner systems and our FHIR server in step, losing nothing
(docs/sync.md; ARCHITECTURE.md §5).

- :func:`run_once` (``fhir_regie.sync.worker``): run the jobs of a configuration until each is
  in step; :func:`run_forever` on their schedules. ``python -m fhir_regie.sync run --config
  FILE [--once]`` is the worker process.
- :func:`load_config` (``fhir_regie.sync.config``): the YAML configuration, checked.
- :class:`StateStore` (``fhir_regie.sync.state``): cursors, queue (inbox and outbox), links,
  conflicts, dead letter, attempts; SQLite in WAL mode.
- :func:`sync_round` (``fhir_regie.sync.demo``): a sync round between a local team's server and
  a municipal case system's drop directory, for the demo.

Names are imported on first use, so ``fhir-regie`` starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "run_once": "worker", "run_forever": "worker", "Stop": "worker",
    "load_config": "config", "Config": "config", "Job": "config", "ConfigError": "config",
    "StateStore": "state", "run_job": "engine", "JobReport": "engine",
    "resolve": "conflicts", "ResolveError": "conflicts", "sync_round": "demo",
}
__all__ = ["Config", "ConfigError", "Job", "JobReport", "ResolveError", "StateStore", "Stop",
           "load_config", "resolve", "run_forever", "run_job", "run_once", "sync_round"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'fhir_regie.sync' has no attribute {name!r}")
    return getattr(import_module(f"fhir_regie.sync.{_EXPORTS[name]}"), name)
