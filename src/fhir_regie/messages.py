"""What people read, in one place: the message catalogue for coordinators, professionals and
families (Dutch by default, English where asked with ``--lang en``).

Developers' diagnostics (validator messages, log lines) stay English and are not here. Every
message has a Dutch and an English text with the same ``{placeholders}``; professionals are
addressed with "u", families with "je". ``tests/unit/test_messages.py`` checks the catalogue
(both languages, same placeholders) and that Dutch output holds no message id and no English
text from it.

Covered so far: the viewer's pages for errors and refusals, and the demo's sync round. Not yet:
the workflow commands (``status|deadlines|safety|meldcode``) and the handover lines of the
demo story.

Example::

    >>> say("viewer.plan_not_found.text")
    'Dit plan bestaat niet.'
    >>> say("viewer.server_error", "en", error="not found")
    'The FHIR server answered with an error (not found).'
"""

from __future__ import annotations

LANGUAGES = ("nl", "en")

#: message id -> (Dutch, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # --- the viewer (professionals: "u")
    "viewer.problem.title": ("Dit lukt niet", "This did not work"),
    "viewer.start_again": ("Opnieuw beginnen", "Start again"),
    "viewer.to_start": ("Naar het begin", "To the start"),
    "viewer.server_error": ("De FHIR-server gaf een fout ({error}).",
                            "The FHIR server answered with an error ({error})."),
    "viewer.organisation_unknown": ("Uw organisatie is niet te vinden ({error}).",
                                    "Your organisation cannot be found ({error})."),
    "viewer.no_organisation": ("Uw systeem gaf geen organisatie mee; zonder organisatie kan de "
                               "viewer niet bepalen wat u mag zien.",
                               "Your system sent no organisation; without one the viewer "
                               "cannot tell what you may see."),
    "viewer.launch_missing": ("De start vanuit uw systeem mist het launch-gegeven.",
                              "The start from your system lacks the launch parameter."),
    "viewer.other_server": ("Deze viewer werkt alleen met de eigen FHIR-server.",
                            "This viewer works only with its own FHIR server."),
    "viewer.launch_expired": ("De sessie is verlopen. Start de viewer opnieuw.",
                              "The session has expired. Start the viewer again."),
    "viewer.sign_in_failed": ("Aanmelden is niet gelukt ({error}).",
                              "Signing in did not work ({error})."),
    "viewer.no_household": ("Dit plan hoort bij geen huishouden.",
                            "This plan belongs to no household."),
    "viewer.not_allowed": ("U mag dit plan niet inzien: er is geen toestemming of wettelijke "
                           "grondslag voor uw organisatie.",
                           "You may not view this plan: there is no consent or legal basis "
                           "for your organisation."),
    "viewer.plan_not_found.title": ("Plan niet gevonden", "Plan not found"),
    "viewer.plan_not_found.text": ("Dit plan bestaat niet.", "This plan does not exist."),
    "viewer.page_not_found.title": ("Pagina niet gevonden", "Page not found"),
    "viewer.page_not_found.text": ("Deze pagina bestaat niet.", "This page does not exist."),
    "viewer.method_not_allowed": ("Dit kan hier niet.", "This is not possible here."),
    "viewer.too_large.title": ("Verzoek te groot", "Request too large"),
    "viewer.too_large.text": ("Dit verzoek is te groot.", "This request is too large."),
    "viewer.failed.title": ("Er ging iets mis", "Something went wrong"),
    "viewer.failed.text": ("Er ging iets mis in de viewer. Probeer het opnieuw.",
                           "Something went wrong in the viewer. Please try again."),
    # server errors by kind (fhir_regie.client.errors), in words instead of class names
    "error.NotFound": ("niet gevonden", "not found"),
    "error.Gone": ("verwijderd", "deleted"),
    "error.Unauthorized": ("geen toegang", "no access"),
    "error.Forbidden": ("geen toegang", "no access"),
    "error.Conflict": ("tegelijk gewijzigd", "changed at the same time"),
    "error.TransportError": ("niet bereikbaar", "not reachable"),
    "error.TooManyRequests": ("te druk, probeer het later", "too busy, try later"),
    "error.ServerError": ("fout in de server", "error in the server"),
    "error.other": ("onbekende fout", "unknown error"),
    # --- the demo's sync round (coordinators)
    "sync.start": ("In step met het zaaksysteem van de gemeente (gemeente-suite), uitwisselmap "
                   "{folder}",
                   "Sync with the municipality's case system (gemeente-suite), drop directory "
                   "{folder}"),
    "sync.first": ("1. export {export} van het zaaksysteem: 2 huishoudens; {applied} resources "
                   "binnengehaald (elk record ook bewaard als Binary met zijn Provenance)",
                   "1. case system export {export}: 2 households; pulled {applied} resources "
                   "in (each record also kept as a Binary with its Provenance)"),
    "sync.team_edits": ("2. het team legt de toestemming van het huishouden Yıldız vast (Ayşe, "
                        "met Kerem en voor Noor), rondt A0024172 af en zet A0024181 stil (Smit, "
                        "geen toestemming); het zaaksysteem zet A0024171 op klaar en exporteert "
                        "opnieuw",
                        "2. the team records the Yıldız household's consent (Ayşe, with Kerem "
                        "and for Noor), completes A0024172 and pauses A0024181 (Smit, no "
                        "consent); the case system marks A0024171 done and exports again"),
    "sync.second": ("3. tweede ronde: {applied} wijziging(en) binnengehaald (A0024171 is hier nu "
                    "{status}); verstuurd: {sent} in export {export}",
                    "3. second run: pulled {applied} change(s) (A0024171 is now {status} "
                    "here); sent {sent} in export {export}"),
    "sync.kept_back": ("   tegengehouden door de toestemmingscontrole: {denied} wijziging(en) "
                       "(Smit: geen toestemming; A0024173 gaat over gezondheid en valt er niet "
                       "onder); de andere huishoudens van het team kent het zaaksysteem niet en "
                       "die gaan nooit mee",
                       "   kept back by the consent guard: {denied} change(s) (Smit: no "
                       "consent; A0024173 is health data, not covered); the team's other "
                       "households are not known to the case system and are never sent"),
    "sync.records": ("   verstrekkingen vastgelegd (AuditEvent regie-disclosure) op onze server: "
                     "{count}; stand: {state}",
                     "   disclosure records (AuditEvent regie-disclosure) on our server: "
                     "{count}; state: {state}"),
}


class MessageError(KeyError):
    """A message id that is not in the catalogue, or a language that is not offered."""


def say(message_id: str, lang: str = "nl", /, **values: object) -> str:
    """The text of a message in ``lang`` (``nl`` or ``en``) with its placeholders filled."""
    if lang not in LANGUAGES:
        raise MessageError(f"language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    try:
        text = MESSAGES[message_id][LANGUAGES.index(lang)]
    except KeyError:
        raise MessageError(f"no message {message_id!r} in the catalogue") from None
    return text.format(**values) if values else text


def error_words(error: BaseException, lang: str = "nl") -> str:
    """A server error in words ("niet gevonden") instead of its class name."""
    name = f"error.{error.__class__.__name__}"
    return say(name if name in MESSAGES else "error.other", lang)
