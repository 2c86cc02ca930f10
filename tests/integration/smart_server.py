"""The viewer tests' SMART authorization server: the demo-only launcher of the library
(``fhir_regie.viewer.demo_launcher``), which ``fhir-regie viewer --demo`` also uses."""

from fhir_regie.viewer.demo_launcher import (  # noqa: F401 (re-exported for the tests)
    OAUTH_URIS,
    SmartServer,
    User,
    free_port,
    id_token,
    serve,
)
