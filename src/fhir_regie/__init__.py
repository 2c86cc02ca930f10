"""fhir-regie: FHIR profiles and toolkit for one household, one plan, one coordinator."""

__version__ = "0.2.0"
