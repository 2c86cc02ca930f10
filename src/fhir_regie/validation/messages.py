"""The catalogue of validation messages: stable ids with English and Dutch templates.

Every diagnostic names one of these ids, so wording stays consistent and translatable.
"""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "regie-json": ("Not valid JSON: {detail}", "Geen geldige JSON: {detail}"),
    "regie-not-resource": (
        "The input is not a FHIR resource (a JSON object with resourceType)",
        "De invoer is geen FHIR-resource (een JSON-object met resourceType)",
    ),
    "regie-unknown-type": ("Unknown resourceType '{type}'", "Onbekend resourceType '{type}'"),
    "regie-structure": ("{detail}", "{detail}"),
    "regie-unknown-element": (
        "Unknown element '{name}' in {type}",
        "Onbekend element '{name}' in {type}",
    ),
    "regie-json-type": (
        "{element}: expected {expected}, found a JSON {found}",
        "{element}: verwacht {expected}, gevonden een JSON {found}",
    ),
    "regie-format": (
        "{element}: not a valid {type}",
        "{element}: geen geldige {type}",
    ),
    "regie-empty": (
        "Empty {what}: FHIR does not allow empty objects, arrays or strings",
        "Leeg {what}: FHIR staat geen lege objecten, arrays of strings toe",
    ),
    "regie-unknown-profile": (
        "Profile {url} is not in any loaded package: not checked against it",
        "Profiel {url} staat in geen geladen pakket: er niet tegen gecontroleerd",
    ),
    "regie-modifier-unknown": (
        "Unknown modifier extension {url}: it may change the meaning of the data, so the "
        "resource cannot be processed safely",
        "Onbekende modifier-extensie {url}: die kan de betekenis van de gegevens veranderen, "
        "dus de resource kan niet veilig verwerkt worden",
    ),
    "regie-extension-unknown": (
        "Unknown extension {url}: not allowed here",
        "Onbekende extensie {url}: hier niet toegestaan",
    ),
    "regie-extension-context": (
        "The extension {url} is not allowed in {element} (allowed: {contexts})",
        "De extensie {url} is niet toegestaan in {element} (toegestaan: {contexts})",
    ),
    "regie-extension-modifier": (
        "The extension {url} is a modifier extension: it belongs in modifierExtension",
        "De extensie {url} is een modifier-extensie: die hoort in modifierExtension",
    ),
    "regie-extension-not-modifier": (
        "The extension {url} is not a modifier extension: it does not belong in "
        "modifierExtension",
        "De extensie {url} is geen modifier-extensie: die hoort niet in modifierExtension",
    ),
    "regie-reference-type-mismatch": (
        "Reference.type {type} contradicts the reference, which names a {named}",
        "Reference.type {type} spreekt de referentie tegen, die een {named} noemt",
    ),
    "regie-bundle-full-url-missing": (
        "An entry of a {type} Bundle needs a fullUrl: the identity of the resource it holds",
        "Een entry van een {type}-Bundle heeft een fullUrl nodig: de identiteit van de "
        "resource erin",
    ),
    "regie-identifier-uri": (
        "An identifier with system urn:ietf:rfc:3986 must have a full URI as its value",
        "Een identifier met system urn:ietf:rfc:3986 moet een volledige URI als waarde hebben",
    ),
    "regie-bundle-full-url-relative": (
        "The fullUrl {url} is relative: an entry's fullUrl must be an absolute url",
        "De fullUrl {url} is relatief: de fullUrl van een entry moet een absolute url zijn",
    ),

    "regie-wrong-type": (
        "Profile {url} constrains {expected}, not {actual}",
        "Profiel {url} beperkt {expected}, niet {actual}",
    ),
    "regie-no-profile": (
        "No Regie profile claimed in meta.profile; only the base resource was checked",
        "Geen Regie-profiel in meta.profile; alleen de basisresource is gecontroleerd",
    ),
    "regie-min": (
        "{element}: minimum required = {min}, but only found {count} (from {profile})",
        "{element}: minimaal {min} vereist, maar {count} gevonden (uit {profile})",
    ),
    "regie-max": (
        "{element}: maximum allowed = {max}, but found {count} (from {profile})",
        "{element}: maximaal {max} toegestaan, maar {count} gevonden (uit {profile})",
    ),
    "regie-fixed": (
        "{element}: value must be exactly {value}",
        "{element}: waarde moet precies {value} zijn",
    ),
    "regie-pattern": (
        "{element}: value must match the pattern {value}",
        "{element}: waarde moet passen bij het patroon {value}",
    ),
    "regie-type": (
        "{element}: type {type} is not allowed here, only {allowed} (from {profile})",
        "{element}: type {type} is hier niet toegestaan, alleen {allowed} (uit {profile})",
    ),
    "regie-slice-closed": (
        "{element}: this item belongs to none of the slices, and the slicing is closed "
        "(from {profile})",
        "{element}: dit item hoort bij geen van de slices, en de slicing is gesloten "
        "(uit {profile})",
    ),
    "regie-extension-unknown-part": (
        "Sub-extension '{url}' is not defined by the extension {extension}",
        "Sub-extensie '{url}' is niet gedefinieerd in de extensie {extension}",
    ),
    "regie-code-unknown": (
        "Code '{value}' is not defined in the code system {system}",
        "Code '{value}' bestaat niet in het codesysteem {system}",
    ),
    "regie-display": (
        "The display does not match {system}#{value}: use its display or one of its "
        "designations",
        "De weergave past niet bij {system}#{value}: gebruik de weergave of een van de "
        "aanduidingen",
    ),
    "regie-binding": (
        "None of the codes ({codes}) is in the required value set {valueset}",
        "Geen van de codes ({codes}) zit in de verplichte waardelijst {valueset}",
    ),
    "regie-binding-extensible": (
        "None of the codes ({codes}) is in the value set {valueset}; use one of its codes "
        "when one applies (extensible binding)",
        "Geen van de codes ({codes}) zit in de waardelijst {valueset}; gebruik er een uit die "
        "lijst als er een past (uitbreidbare binding)",
    ),
    "regie-binding-no-code": (
        "No code given; a code from the value set {valueset} should be used when one applies "
        "(extensible binding)",
        "Geen code opgegeven; gebruik een code uit de waardelijst {valueset} als er een past "
        "(uitbreidbare binding)",
    ),
    "regie-binding-required-no-code": (
        "No code given, though a code from the required value set {valueset} must be",
        "Geen code opgegeven, terwijl een code uit de verplichte waardelijst {valueset} moet",
    ),
    "regie-reference-type": (
        "Reference to a {type}, but only {allowed} is allowed here",
        "Verwijzing naar een {type}, maar hier mag alleen {allowed}",
    ),
    "regie-reference-profile": (
        "The {type} this refers to (in the Bundle or contained) does not meet {profiles}",
        "De {type} waarnaar dit verwijst (in de Bundle of ingesloten) voldoet niet aan "
        "{profiles}",
    ),
    "regie-bundle-full-url": (
        "The fullUrl {url} does not end in the Type/id of the resource it holds ({held})",
        "De fullUrl {url} eindigt niet op het Type/id van de resource erin ({held})",
    ),
    "regie-invariant": (
        "Constraint failed: {key}: {human}",
        "Regel geschonden: {key}: {human}",
    ),
    "regie-narrative": (
        "Constraint failed: {key}: {human} ({detail})",
        "Regel geschonden: {key}: {human} ({detail})",
    ),
    "regie-invariant-error": (
        "Constraint {key} could not be evaluated: {detail}",
        "Regel {key} kon niet worden geëvalueerd: {detail}",
    ),
}


def render(message_id: str, language: str = "en", **values: object) -> str:
    """The message text for an id in English ('en') or Dutch ('nl')."""
    english, dutch = MESSAGES[message_id]
    template = dutch if language == "nl" else english
    return template.format(**values)
