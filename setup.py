"""Package layout that pyproject.toml cannot express: the library lives in src/, and the partner
mappings of mappings/ are shipped as the package-data-only package ``fhir_regie.mapping.maps``
(the folder stays where it is in the checkout; its partner folders are not Python packages).
Everything else is declared in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    package_dir={"": "src", "fhir_regie.mapping.maps": "mappings",
                 "fhir_regie.ig.narrative": "docs/ig"},
    packages=[*find_packages("src"), "fhir_regie.mapping.maps", "fhir_regie.ig.narrative"],
)
