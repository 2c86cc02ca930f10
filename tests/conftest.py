"""Fixtures shared by the integration and contract tests: real FHIR servers.

Every test that asks for ``fhir_server`` or ``two_servers`` runs once per server kind:

- ``sekmet``: the embedded sekmet-fhir server (``fhir_regie.client.server``);
- ``hapi`` (marked ``hapi``): a HAPI FHIR JPA server with our package installed (``tools/hapi``,
  docs/hapi.md). Deselect with ``-m "not hapi"``; CI (``tools/test.sh``) runs it.

``fhir_server``: one server of each kind for the whole session (fresh store), started only when a
test asks for it. ``two_servers``: two independent, fresh servers of one kind (two
organisations); for HAPI two more processes, started side by side.

HAPI comes from ``FHIR_REGIE_HAPI_URL`` when set (one server; ``FHIR_REGIE_HAPI_PAIR_URLS``,
comma-separated, for the pair), else it is built and started here. Without Java or Maven the HAPI
tests are skipped with the reason, except under ``CI``, where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import pytest
from hypothesis import settings

from fhir_regie.client.server import EmbeddedServer, start_servers
from tests import identities

# No per-example time limit for property tests: on a busy 2-core machine the first example of a
# run (imports, caches) can pass hypothesis's default 200 ms and fail a pure law as "flaky".
# Speed goals live in benchmarks/, not in timed unit tests.
settings.register_profile("fhir-regie", deadline=None)
settings.load_profile("fhir-regie")

SERVER_KINDS = ["sekmet", pytest.param("hapi", marks=pytest.mark.hapi)]


def pytest_report_header() -> str:
    """The run prefix of the test identities (tests/identities.py): this run's data on a
    shared server carries it."""
    return identities.header()


# Fixture -> marker: a test that asks for it needs that heavy thing (pyproject.toml lists the
# markers; docs/development.md has the fast command that leaves them out).
HEAVY_FIXTURES = {"reference_results": "jvm", "hapi_server": "hapi", "hapi_pair": "hapi",
                  "postgres_server": "postgres"}
# Tests that take seconds on their own (measured: docs/development.md, "Tests"), by file and
# function (all parameters): marked ``slow`` here, in one place, so the test files stay as they
# are. Whole files that are slow (the kill and browser tests) say so themselves, and so does
# every test under SLOW_FOLDERS (the sync engine between real servers: it waits in real time).
SLOW_FOLDERS = ("tests/integration/sync/",)
SLOW = {
    "tests/unit/consent/test_properties.py": {
        "test_the_generators_reach_the_interesting_cases",
        "test_the_adversary_rule_never_leaks",
        "test_nothing_is_permitted_without_a_basis_that_holds",
        "test_redacted_strings_appear_nowhere_in_the_output",
        "test_revoked_consents_never_permit",
    },
    "tests/unit/test_fhirpath.py": {
        "test_same_answer_on_mutated_nodes",
        "test_same_answer_on_every_example_and_fixture",
        "test_same_answer_on_generated_json",
    },
    "tests/unit/test_cli.py": {
        "test_console_script_runs_the_demo",
        "test_console_script_prints_unpaired_surrogates_without_a_traceback",
        "test_a_step_that_fails_ends_the_demo_with_one_line_and_exit_1",
    },
    "tests/unit/test_structure.py": {
        "test_never_raises_on_any_json",
    },
    "tests/unit/test_validation.py": {
        "test_mutated_examples_never_raise",
        "test_validator_never_raises",
        "test_generated_json_text_never_raises",
    },
    "tests/unit/mapping/test_roundtrip.py": {
        "test_the_household_generator_reaches_every_required_edge_case",
        "test_action_status_changes_flow_both_ways",
        "test_vt_registration_to_handover_and_feedback_keeps_the_declared_fields",
        "test_gemeente_suite_csv_to_fhir_and_back_is_lossless",
    },
    "tests/unit/sync/test_keys.py": {
        "test_derived_ids_are_fhir_ids_stable_and_never_numeric",
    },
    "tests/unit/mapping/test_cli.py": {
        "test_progress_on_many_records",
    },
    "tests/unit/render/test_render.py": {
        "test_write_plan_documents_writes_html_and_a_pdf_with_the_same_text",
    },
    "tests/unit/mapping/test_malformed.py": {
        "test_importing_the_engine_leaves_the_recursion_limit_alone",
    },
    "tests/integration/test_servers.py": {
        "test_demo_tells_the_whole_story_on_two_servers",
        "test_server_command_prints_the_url_and_stops_cleanly",
        "test_a_temporary_data_dir_is_removed_on_stop",
    },
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in HEAVY_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()) and \
                    item.get_closest_marker(marker) is None:
                item.add_marker(marker)
        path = item.nodeid.split("::", 1)[0]
        function = getattr(item, "originalname", item.name)
        if function in SLOW.get(path, ()) or path.startswith(SLOW_FOLDERS):
            item.add_marker(pytest.mark.slow)


#: The sync state store's implementations: every test that asks for ``state_location`` runs on
#: both (docs/sync.md, "The state store on PostgreSQL").
STATE_KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server's URL (its ``postgres`` database): ``FHIR_REGIE_PG_URL`` when set,
    else one started here (tools/postgres.py) for the session. Without PostgreSQL installed the
    tests are skipped with the reason, except under ``CI``, where that is a failure."""
    given = os.environ.get("FHIR_REGIE_PG_URL")
    if given:
        yield given
        return
    from tools import postgres

    ready, reason = postgres.available()
    if not ready:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with postgres.PostgresServer() as server:
        yield server.url


_databases = iter(range(1, 1_000_000))


def new_database(server_url: str) -> str:
    """A fresh database on the server, named for this run (tests/identities.py)."""
    from tools import postgres

    prefix = "".join(c for c in str(identities.RUN).lower() if c.isalnum())[:20]
    return postgres.create_database(server_url, f"sync_{prefix}_{os.getpid()}_{next(_databases)}")


@pytest.fixture(params=STATE_KINDS)
def state_location(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                   ) -> str:
    """Where a test's sync state lives: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path_factory.mktemp("state") / "sync.db")
    return new_database(request.getfixturevalue("postgres_server"))


class RunningServer(Protocol):
    """What the tests use of a server: where it answers."""

    @property
    def base_url(self) -> str: ...

    @property
    def port(self) -> int | None: ...


@dataclass(frozen=True)
class RemoteServer:
    """A server someone else runs (``FHIR_REGIE_HAPI_URL``)."""

    base_url: str

    @property
    def port(self) -> int | None:
        return urlsplit(self.base_url).port


def _hapi_ready() -> None:
    """Skip (or fail under CI) when HAPI cannot be built and run here."""
    from tools import hapi

    ready, reason = hapi.available()
    if not ready:
        if os.environ.get("CI"):
            pytest.fail(f"HAPI FHIR server required in CI: {reason}")
        pytest.skip(f"HAPI FHIR server not available: {reason}")


def _start_hapi(count: int) -> list[RunningServer]:
    """Start ``count`` HAPI servers side by side; on any failure stop the ones that started."""
    from tools import hapi

    servers = [hapi.HapiServer() for _ in range(count)]
    with ThreadPoolExecutor(max_workers=count) as pool:
        outcomes = [pool.submit(server.start) for server in servers]
    errors = [future.exception() for future in outcomes if future.exception() is not None]
    if errors:
        for server in servers:
            server.stop()
        if os.environ.get("CI") or not isinstance(errors[0], hapi.HapiUnavailableError):
            pytest.fail(f"HAPI FHIR server did not start: {errors[0]}")
        pytest.skip(f"HAPI FHIR server not available: {errors[0]}")
    return list(servers)


def _stop(servers: list[RunningServer]) -> None:
    for server in servers:
        stop = getattr(server, "stop", None)
        if stop is not None:
            stop()


@pytest.fixture(scope="session")
def sekmet_server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer() as server:
        yield server


@pytest.fixture(scope="session")
def hapi_server() -> Iterator[RunningServer]:
    url = os.environ.get("FHIR_REGIE_HAPI_URL", "").strip()
    if url:
        yield RemoteServer(url.rstrip("/"))
        return
    _hapi_ready()
    servers = _start_hapi(1)
    try:
        yield servers[0]
    finally:
        _stop(servers)


@pytest.fixture(scope="session")
def sekmet_pair() -> Iterator[list[EmbeddedServer]]:
    with start_servers(2) as servers:
        yield servers


@pytest.fixture(scope="session")
def hapi_pair() -> Iterator[list[RunningServer]]:
    urls = [u.strip().rstrip("/") for u in
            os.environ.get("FHIR_REGIE_HAPI_PAIR_URLS", "").split(",") if u.strip()]
    if urls:
        if len(urls) != 2:
            pytest.fail("FHIR_REGIE_HAPI_PAIR_URLS needs exactly two base URLs")
        yield [RemoteServer(u) for u in urls]
        return
    _hapi_ready()
    servers = _start_hapi(2)
    try:
        yield servers
    finally:
        _stop(servers)


@pytest.fixture(scope="session", params=SERVER_KINDS)
def fhir_server(request: pytest.FixtureRequest) -> RunningServer:
    """One FHIR server per kind for the session; the test runs once per kind."""
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(scope="session", params=SERVER_KINDS)
def two_servers(request: pytest.FixtureRequest) -> list[RunningServer]:
    """Two independent fresh servers of one kind (two organisations)."""
    return request.getfixturevalue(f"{request.param}_pair")
