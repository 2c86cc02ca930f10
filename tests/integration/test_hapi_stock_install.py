"""The package loads into a HAPI FHIR server with HAPI's default package settings.

A stock HAPI server installs only resources whose ``status`` is ``active`` (it skips drafts
without an error). Our tools/hapi server normally installs whatever the status; started with
``--stock-package-install`` it keeps HAPI's default, as a vendor's server would. This test asks
such a server for every conformance resource of the package that HAPI installs: a resource that
is not ``active`` (or otherwise refused) is missing there and named in the failure.

CI (tools/test.sh) starts its session server that way and passes it as
``FHIR_REGIE_HAPI_STOCK_URL``; without it the test starts one of its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from fhir_regie.client import FhirClient
from fhir_regie.ig import load_package
from tests.conftest import RemoteServer, RunningServer, _hapi_ready

pytestmark = pytest.mark.hapi

# The resource types HAPI's package installer stores (PackageInstallerSvcImpl's default list);
# CapabilityStatements and ImplementationGuides are not installed by HAPI.
INSTALLED_TYPES = ("CodeSystem", "ConceptMap", "NamingSystem", "SearchParameter",
                   "StructureDefinition", "ValueSet")


def _address(resource: dict[str, Any]) -> tuple[str, str]:
    """How to search for the resource: by url, or (an R4 NamingSystem has none) by its
    unique id."""
    if resource["resourceType"] == "NamingSystem":
        return "value", resource["uniqueId"][0]["value"]
    return "url", resource["url"]


@pytest.fixture(scope="module")
def stock_hapi() -> Iterator[RunningServer]:
    url = os.environ.get("FHIR_REGIE_HAPI_STOCK_URL", "").strip()
    if url:
        yield RemoteServer(url.rstrip("/"))
        return
    _hapi_ready()
    from tools import hapi

    server = hapi.HapiServer(stock_package_install=True)
    try:
        server.start()
    except hapi.HapiStartError as error:
        pytest.fail(f"HAPI FHIR server did not start: {error}")
    try:
        yield server
    finally:
        server.stop()


def test_every_installable_resource_is_on_a_stock_server(stock_hapi: RunningServer) -> None:
    client = FhirClient(stock_hapi.base_url, timeout=(5, 120))
    package = load_package()
    expected = sorted((resource["resourceType"], _address(resource))
                      for resource in package.conformance.values()
                      if resource["resourceType"] in INSTALLED_TYPES)
    assert len(expected) > 100  # the whole package, not an empty listing
    missing = []
    for resource_type, (param, value) in expected:
        found = list(client.search(resource_type, {param: value}, as_dict=True))
        if len(found) != 1:
            missing.append(f"{resource_type} {value}")
    assert not missing, ("skipped by a stock HAPI package install (status not active?): "
                         + ", ".join(missing))
