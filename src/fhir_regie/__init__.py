"""fhir-regie: FHIR profiles and toolkit for one household, one plan, one coordinator."""

__version__ = "0.1.0"
