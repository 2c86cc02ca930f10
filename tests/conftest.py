"""Fixtures shared by the integration and contract tests: embedded FHIR servers.

``fhir_server``: one sekmet-fhir server for the whole session (fresh temp data dir), started
only when a test asks for it. ``two_servers``: two independent servers (two organisations).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fhir_regie.client.server import EmbeddedServer, start_servers


@pytest.fixture(scope="session")
def fhir_server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer() as server:
        yield server


@pytest.fixture(scope="session")
def two_servers() -> Iterator[list[EmbeddedServer]]:
    with start_servers(2) as servers:
        yield servers
