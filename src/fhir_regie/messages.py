"""What people read, in one place: the message catalogue for coordinators, professionals and
families (Dutch by default, English where asked with ``--lang en``).

Developers' diagnostics (validator messages, log lines) stay English and are not here. Every
message has a Dutch and an English text with the same ``{placeholders}``; professionals are
addressed with "u", families with "je". ``tests/unit/test_messages.py`` checks the catalogue
(both languages, same placeholders) and that Dutch output holds no message id and no English
text from it.

Covered: the viewer's pages for errors and refusals, the demo's sync round and sharing step, the
handover lines (send, take-in, inbox, answer) and the text of the workflow commands
(``status|deadlines|safety|meldcode``: headers, labels, the safety progress, the rules' criteria,
evidence and findings). Rules that must stay plain strings for their JSON (``--format json`` is
for developers and stays English) return a :class:`Said`: an English ``str`` that remembers its
message id and values, so a text view can say it again in Dutch with :func:`tell`.

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
    # fixed English reasons of other modules (the disclosure guard's are for developers), told
    # in words where people read them: matched on the whole text by tell()
    "consent.reason.reporter_identity": ("wie er meldde: de melder is anoniem of contact is "
                                         "niet nodig",
                                         "reporter identity: the reporter is anonymous or no "
                                         "contact is needed"),
    # --- the demo story
    "demo.share.permit": ("gedeeld", "shared"),
    "demo.share.partial": ("gedeeltelijk gedeeld", "partly shared"),
    "demo.share.deny": ("geweigerd", "refused"),
    "demo.no_recipient_consent": ("geen toestemming noemt deze organisatie als ontvanger",
                                  "no consent names this organisation as a recipient"),
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
    # --- the workflow commands status|deadlines|safety|meldcode (coordinators: "u")
    "workflow.no_deadlines": ("(geen termijnen)", "(no deadlines)"),
    "workflow.col.status": ("STAND", "STATUS"),
    "workflow.col.due": ("UITERLIJK", "DUE"),
    "workflow.col.rule": ("REGEL", "RULE"),
    "workflow.col.subject": ("OVER", "SUBJECT"),
    "workflow.col.met": ("GEHAALD", "MET"),
    "workflow.col.setting": ("INSTELLING", "SETTING"),
    "workflow.late": ("(te laat)", "(late)"),
    "workflow.deadline.open": ("open", "open"),
    "workflow.deadline.met": ("gehaald", "met"),
    "workflow.deadline.overdue": ("verlopen", "overdue"),
    "workflow.deadline.unknown": ("onbekend", "unknown"),
    "workflow.no_safety_plan": ("(geen veiligheidsplan)", "(no safety plan)"),
    "workflow.phase.alignment": ("afstemming", "alignment"),
    "workflow.phase.safety": ("veiligheid", "safety"),
    "workflow.phase.risk-guided": ("risicogestuurde zorg", "risk-guided"),
    "workflow.phase.recovery": ("herstel", "recovery"),
    "workflow.phase.closing": ("afsluiten", "closing"),
    "workflow.phase.none": ("onbekend", "unknown"),
    "workflow.ready": ("klaar voor {phase}", "ready for {phase}"),
    "workflow.not_ready": ("nog niet klaar voor {phase}", "not ready for {phase}"),
    "workflow.plan_line": ("{plan} ({kind}, {status}): fase {phase}; {ready}",
                           "{plan} ({kind}, {status}): phase {phase}; {ready}"),
    "workflow.advice": ("(advies)", "(advice)"),
    "workflow.stable": ("  stabiele veiligheid: {answer}", "  stable safety: {answer}"),
    "workflow.yes": ("ja", "yes"),
    "workflow.no": ("nee", "no"),
    "workflow.no_meldcode": ("(geen meldcodetraject)", "(no meldcode trail)"),
    "workflow.step.step-0": ("stap 0", "step-0"),
    "workflow.step.step-1": ("stap 1", "step-1"),
    "workflow.step.step-2": ("stap 2", "step-2"),
    "workflow.step.step-3": ("stap 3", "step-3"),
    "workflow.step.step-4": ("stap 4", "step-4"),
    "workflow.step.step-5": ("stap 5", "step-5"),
    "workflow.step.step-6": ("stap 6", "step-6"),
    "workflow.next_step": ("  volgende stap: {step}; uitkomst: {outcome} (vastgelegd: {recorded})",
                           "  next step: {step}; outcome: {outcome} (recorded: {recorded})"),
    "workflow.next_step.none": ("geen (afgesloten)", "none (closed)"),
    "workflow.none": ("geen", "none"),
    "workflow.outcome.report": ("melden", "report"),
    "workflow.outcome.organise-help": ("hulp organiseren", "organise-help"),
    "workflow.outcome.continue-help": ("hulp voortzetten", "continue-help"),
    "workflow.outcome.close": ("afsluiten", "close"),
    "workflow.outcome.undecided": ("nog niet besloten", "undecided"),
    "workflow.because": ("  omdat: {reason}", "  because: {reason}"),
    "workflow.to_document": ("  vast te leggen: {entry}", "  to document: {entry}"),
    "workflow.status.title": ("{household} op {at} (regio {region})",
                              "{household} on {at} (region {region})"),
    "workflow.status.deadlines": ("Termijnen:", "Deadlines:"),
    "workflow.status.safety": ("Veiligheidsplannen:", "Safety plans:"),
    "workflow.status.meldcode": ("Meldcode:", "Meldcode:"),
    "workflow.status.close": ("Plan afsluiten: {answer}", "Closing the plan: {answer}"),
    "workflow.allowed": ("toegestaan", "allowed"),
    "workflow.blocked": ("geblokkeerd", "blocked"),
    "workflow.status.roles": ("Rollen: {answer}", "Roles: {answer}"),
    "workflow.roles.ok": ("procesregisseur en casusregisseur zijn er",
                          "procesregisseur and casusregisseur in place"),
    "workflow.roles.gaps": ("er ontbreekt een rol", "gaps"),
    "workflow.status.stagnation": ("Stagnatie: {answer}", "Stagnation: {answer}"),
    "workflow.stagnation.signalled": ("gesignaleerd", "signalled"),
    "workflow.status.other": ("Overige regels: {answer}", "Other rules: {answer}"),
    "workflow.findings.none": ("geen bevindingen", "no findings"),
    "workflow.findings.some": ("bevindingen", "findings"),
    # safety progress (workflow.safety): exit criteria of the Routekaart phases and their evidence
    "safety.network.informal": ("Minstens {minimum} mensen uit het informele netwerk doen actief "
                                "mee (vuistregel)",
                                "At least {minimum} people from the informal network actively "
                                "involved (rule of thumb)"),
    "safety.n_active_list": ("{count} actief: {names}", "{count} active: {names}"),
    "safety.danger_statement": ("gevaaruitspraak {priority} ({ref})",
                                "danger statement {priority} ({ref})"),
    "safety.everyone_scores": ("Iedereen scoort minstens {minimum}",
                               "Everyone scores at least {minimum}"),
    "safety.no_scale": ("geen veiligheidsschaal om te scoren (geen actieve gevaaruitspraak)",
                        "no safety scale to score (no active danger statement)"),
    "safety.not_scored": ("{label}: nog niet gescoord", "{label}: not scored yet"),
    "safety.scored_low": ("{label}: {performer} scoorde {value} op {day} (nodig: {minimum})",
                          "{label}: {performer} scored {value} on {day} (needs {minimum})"),
    "safety.scored_unjustified": ("{label}: {performer} scoorde {value} op {day} zonder het "
                                  "waargenomen gedrag dat die score onderbouwt",
                                  "{label}: {performer} scored {value} on {day} without the "
                                  "observed behaviour that justifies it"),
    "safety.all_scored": ("{label}: alle {count} laatste score(s) >= {minimum} ({scores})",
                          "{label}: all {count} latest score(s) >= {minimum} ({scores})"),
    "safety.everyone_scores_behaviour": ("Iedereen scoort minstens {minimum}, met het "
                                         "waargenomen gedrag",
                                         "Everyone scores at least {minimum}, with the observed "
                                         "behaviour"),
    "safety.held": ("{label} {months} maanden lang >= {minimum} gescoord, minstens elke "
                    "{interval} maand(en)",
                    "{label} scored >= {minimum} for {months} months, at least every "
                    "{interval} month(s)"),
    "safety.gap": ("geen score tussen {previous} en {day} (scoren moet minstens elke "
                   "{interval} maand(en))",
                   "no score between {previous} and {day} (scoring is due at least every "
                   "{interval} month(s))"),
    "safety.incident_resets": ("het incident op {day} zet de {months} maanden terug op nul",
                               "incident on {day} resets the {months} months"),
    "safety.incident_resets_ref": ("het incident op {day} ({ref}) zet de {months} maanden "
                                   "terug op nul",
                                   "incident on {day} ({ref}) resets the {months} months"),
    "safety.round_low": ("{value} gescoord op {day} (nodig: {minimum})",
                         "scored {value} on {day} (needs {minimum})"),
    "safety.no_score_since": ("geen score sinds {day} (scoren moet minstens elke {interval} "
                              "maand(en))",
                              "no score since {day} (scoring is due at least every {interval} "
                              "month(s))"),
    "safety.no_high_score": ("{label}: nog geen score >= {minimum}",
                             "{label}: no score >= {minimum} yet"),
    "safety.held_so_far": ("{label} >= {minimum} gescoord gedurende {held} van de vereiste "
                           "{months} maanden (sinds {since})",
                           "{label} scored >= {minimum} for {held} of the required {months} "
                           "months (since {since})"),
    "safety.reached_on": ("de {months} maanden zijn bereikt op {day}",
                          "{months} months are reached on {day}"),
    "safety.no_incident_since_start": ("geen incident vastgelegd sinds de start van het plan "
                                       "op {day}",
                                       "no incident logged since the plan started on {day}"),
    "safety.no_incidents": ("Geen incidenten gedurende {months} maanden",
                            "No incidents for {months} months"),
    "safety.no_start": ("het plan heeft geen startdatum en er is geen incident vastgelegd",
                        "the plan has no start date and no incident is logged"),
    "safety.months_of": ("{held} van de vereiste {months} maanden",
                         "{held} of the required {months} months"),
    "safety.risk_factors": ("Risicofactoren zijn aangepakt of hanteerbaar",
                            "Risk factors addressed or manageable"),
    "safety.no_risk_factor": ("het plan noemt geen risicofactor (addresses)",
                              "the plan names no risk factor (addresses)"),
    "safety.still_active": ("{ref} is nog actief", "{ref} is still active"),
    "safety.risks_done": ("{count} risicofactor(en) niet meer actief",
                          "{count} risk factor(s) no longer active"),
    "safety.recovery_started": ("Het werken aan herstel van de schade is begonnen",
                                "Work on recovery of harm has started"),
    "safety.recovery_plan": ("herstelplan {plans}", "recovery plan {plans}"),
    "safety.no_recovery_plan": ("nog geen herstelplan (CarePlan-categorie recovery-plan)",
                                "no recovery plan (CarePlan category recovery-plan) yet"),
    "safety.no_role": ("geen actieve {role} in het zorgteam",
                       "no active {role} in the care team"),
    "safety.case_direction": ("Er is afgesproken wie met het huishouden analyseert en de directe "
                              "veiligheid borgt (casusregie)",
                              "It is agreed who analyses with the household and secures direct "
                              "safety (case direction)"),
    "safety.no_new_violence": ("Geen nieuw geweld sinds de scores",
                               "No new violence since the scores"),
    "safety.incident_on": ("incident op {day} ({ref})", "incident on {day} ({ref})"),
    "safety.redo_scores": ("scores van vóór het incident moeten opnieuw: {scores}",
                           "scores from before it must be redone: {scores}"),
    "safety.scores_after": ("elke huidige score is daarna gegeven",
                            "every current score was given after it"),
    "safety.empty_log": ("het veiligheidslogboek is leeg: vraag het netwerk",
                         "the safety log has no entries: ask the network"),
    "safety.no_incident_in_log": ("geen incident in het veiligheidslogboek ({count} andere "
                                  "vermeldingen)",
                                  "no incident in the safety log ({count} other entries)"),
    "safety.agreements_made": ("Veiligheidsafspraken zijn gemaakt en worden uitgevoerd",
                               "Safety agreements are made and carried out"),
    "safety.agreements_running": ("{count} veiligheidsafspraak/-afspraken lopend of gedaan",
                                  "{count} safety agreement(s) running or done"),
    "safety.no_agreement": ("geen veiligheidsafspraak op basis van dit plan",
                            "no safety agreement based on this plan"),
    "safety.monitored": ("De afspraken worden gemonitord", "The agreements are monitored"),
    "safety.monitoring_running": ("monitoringscheck(s) lopend", "monitoring check(s) running"),
    "safety.no_monitoring": ("geen monitoringscheck op basis van dit plan",
                             "no monitoring check based on this plan"),
    "safety.next_phases": ("Er is besloten wie de volgende fasen doet (casusregie en "
                           "veiligheidsplanning)",
                           "It is decided who does the next phases (case direction and safety "
                           "planning)"),
    "safety.max_dangers": ("Hoogstens {maximum} actieve gevaaruitspraken",
                           "At most {maximum} active danger statements"),
    "safety.n_active": ("{count} actief", "{count} active"),
    "safety.network_holds": ("Iemand uit het informele netwerk houdt het plan vast en roept het "
                             "netwerk bijeen",
                             "Someone from the informal network holds the plan and convenes the "
                             "network"),
    "safety.chaired_by_professional": ("het netwerkberaad wordt voorgezeten door een "
                                       "professional, niet door het netwerk",
                                       "the network meeting is chaired by a professional, not "
                                       "the network"),
    "safety.safe_person_stays": ("De veiligheidspersoon blijft", "The safe person stays"),
    "safety.safe_person_named": ("veiligheidspersoon staat op het plan",
                                 "safety person named on the plan"),
    "safety.no_safe_person": ("geen veiligheidspersoon op het plan",
                              "no safety person on the plan"),
    "safety.phase_known": ("Het plan legt zijn fase van de Routekaart vast",
                           "The plan records its Routekaart phase"),
    "safety.unknown_phase": ("onbekende fase {phase}", "unknown phase {phase}"),
    "safety.no_phase": ("geen fase van de Routekaart vastgelegd", "no Routekaart phase recorded"),
    # guards (workflow.guards): closing the plan, roles, stagnation
    "guard.meldcode_open": ("meldcodetraject niet afgerond: {outcome} ({reason})",
                            "meldcode trail not finished: {outcome} ({reason})"),
    "guard.no_answers": ("geen antwoorden", "no answers"),
    "guard.recent_incident": ("incident op {day}, minder dan {months} maanden geleden",
                              "incident on {day}, less than {months} months ago"),
    "guard.not_stable": ("het veiligheidsplan heeft nog geen stabiele veiligheid ({criteria})",
                         "safety plan is short of stable safety ({criteria})"),
    "guard.vt_monitoring": ("Veilig Thuis monitort tot {day}: informeer Veilig Thuis als u "
                            "afsluit (§4)",
                            "Veilig Thuis monitors until {day}: inform Veilig Thuis when "
                            "closing (§4)"),
    "guard.network": ("{description}: {evidence}", "{description}: {evidence}"),
    "guard.no_successor": ("geen opvolger als {role}: voeg de opvolger toe voordat u de rol "
                           "beëindigt (§2 stap 6a)",
                           "no successor as {role}: add the successor before ending the role "
                           "(§2 step 6a)"),
    "guard.role_ended": ("de rol {role} is op {day} beëindigd zonder opvolger",
                         "{role} role ended on {day} without a successor"),
    "guard.role_empty": ("niemand heeft de rol {role}", "nobody holds the {role} role"),
    "guard.no_procesregisseur": ("de procesregisseur (niemand actief!)",
                                 "the procesregisseur (none active!)"),
    "guard.overdue_since": ("verlopen sinds {day} ({late} dagen, drempel {threshold}); voor {to}",
                            "overdue since {day} ({late} days, threshold {threshold}); for {to}"),
    "guard.overdue_actions": ("{count} afgesproken acties verlopen (drempel {threshold}); "
                              "voor {to}",
                              "{count} agreed actions overdue (threshold {threshold}); for {to}"),
    # the meldcode (workflow.meldcode): the decision framework, what to document, findings
    "meldcode.refused_help": ("alle hulp geweigerd: altijd melden",
                              "refusal of all help: always report"),
    "meldcode.moved": ("de cliënt is zonder toestemming voor een warme overdracht verhuisd: "
                       "melden (VT draagt over aan het VT van de nieuwe woonplaats)",
                       "the client moved without consent for a warm handover: report (VT hands "
                       "over to the VT of the new place)"),
    "meldcode.q1.no": ("geen vermoeden: afsluiten en vastleggen waarom",
                       "no suspicion: close and record why"),
    "meldcode.q2.yes": ("acute en/of structurele onveiligheid: melden (hulp kan daarnaast "
                        "georganiseerd worden)",
                        "acute and/or structural unsafety: report (help may be organised as "
                        "well)"),
    "meldcode.q3.no": ("er kan geen passende hulp geboden of georganiseerd worden: melden",
                       "no effective help can be given or organised: report"),
    "meldcode.q4.no": ("de betrokkenen werken niet mee aan hulp: melden",
                       "those involved do not cooperate with help: report"),
    "meldcode.q5.no": ("hulp leidt niet tot duurzame veiligheid: (opnieuw) melden",
                       "help does not lead to lasting safety: report (again)"),
    "meldcode.q5.yes": ("duurzame veiligheid: hulp voortzetten met afspraken over het volgen van "
                        "de (on)veiligheid",
                        "lasting safety: continue help with agreements on following (un)safety"),
    "meldcode.q5.open": ("hulp is georganiseerd; vraag 5 (duurzame veiligheid) staat nog open",
                         "help is organised; question 5 (lasting safety) is still open"),
    "meldcode.unanswered": ("{question} is nog niet beantwoord",
                            "{question} is not answered yet"),
    "meldcode.answer": ("{question}: {answer}", "{question}: {answer}"),
    "meldcode.answer.yes": ("ja", "yes"),
    "meldcode.answer.no": ("nee", "no"),
    "meldcode.answer.unknown": ("onbekend", "unknown"),
    "meldcode.doc.note": ("een notitie met de feiten en de vervolgafspraken",
                          "a note with the facts and follow-up agreements"),
    "meldcode.doc.signals": ("de signalen (regie-signal), feitelijk vastgelegd",
                             "the signals (regie-signal), recorded factually"),
    "meldcode.doc.hypothesis": ("hypothese {ref} bevestigen of weerleggen",
                                "confirm or refute hypothesis {ref}"),
    "meldcode.doc.consulted": ("wie er is geraadpleegd en het advies",
                               "who was consulted and the advice"),
    "meldcode.doc.advice": ("het advies van raadpleging {index}",
                            "the advice of consultation {index}"),
    "meldcode.doc.followed": ("of het advies van raadpleging {index} is opgevolgd",
                              "whether the advice of consultation {index} was followed"),
    "meldcode.doc.not_followed": ("waarom het advies van raadpleging {index} niet is opgevolgd",
                                  "why the advice of consultation {index} was not followed"),
    "meldcode.doc.conversation": ("het gesprek met de cliënt, of waarom het niet is gevoerd",
                                  "the conversation with the client, or why it was skipped"),
    "meldcode.doc.reaction": ("de reactie van de cliënt", "the client's reaction"),
    "meldcode.doc.skip_reason": ("waarom het gesprek niet is gevoerd (de veiligheid staat op het "
                                 "spel, of de cliënt zou het contact verbreken)",
                                 "the reason the conversation was skipped (safety at stake, or "
                                 "the client would break off contact)"),
    "meldcode.doc.weighing": ("waarmee de weging is gedaan (een raadpleging van een deskundige, "
                              "VT of GI, of een notitie met het risicotaxatie-instrument)",
                              "what the weighing was done with (a consultation of an expert, VT "
                              "or GI, or a note naming the risk instrument)"),
    "meldcode.doc.answer": ("het antwoord op {question}", "the answer to {question}"),
    "meldcode.doc.decision": ("het besluit", "the decision"),
    "meldcode.honour.minor_who": ("{ref}: eergerelateerd geweld bij een minderjarige cliënt: leg "
                                  "vast met wie het gesprek was (met de ouders mag pas na stap 5 "
                                  "gesproken worden)",
                                  "{ref}: honour-related violence with a minor client: record who "
                                  "the conversation was with (parents may not be spoken to before "
                                  "step 5)"),
    "meldcode.honour.parent": ("{ref}: eergerelateerd geweld: er is met een ouder van de "
                               "minderjarige cliënt gesproken vóór het besluit in stap 5",
                               "{ref}: honour-related violence: a parent of the minor client was "
                               "spoken to before the decision in step 5"),
    "meldcode.honour.no_prior": ("{ref}: eergerelateerd geweld: het gesprek vond plaats zonder "
                                 "voorafgaande raadpleging van een deskundige (specialist)",
                                 "{ref}: honour-related violence: the conversation took place "
                                 "without a prior expert consultation (specialist)"),
    "meldcode.honour.consult": ("eergerelateerd geweld: raadpleeg een specialist (politie of VT) "
                                "vóór elk gesprek met de cliënt of de familie",
                                "honour-related violence: consult a specialist (police or VT) "
                                "before any conversation with the client or family"),
    "meldcode.step3_missing": ("stap 3 ontbreekt: leg het gesprek met de cliënt vast, of de reden "
                               "waarom het niet is gevoerd",
                               "step 3 is missing: record the conversation with the client, or "
                               "the reason it was skipped"),
    "meldcode.report_early": ("{ref}: een melding bij VT noemde {step}; een melding volgt op het "
                              "besluit (stap 5)",
                              "{ref}: a report to VT stated {step}; a report follows the "
                              "decision (step 5)"),
    "meldcode.advice_late": ("{ref}: er is advies gevraagd met {step}; advies hoort bij stap 2 "
                             "(anoniem)",
                             "{ref}: advice was asked stating {step}; advice belongs to step 2 "
                             "(anonymous)"),
    "meldcode.decision_differs": ("het vastgelegde besluit ({recorded}) wijkt af van wat de "
                                  "antwoorden geven ({outcome})",
                                  "the recorded decision ({recorded}) differs from what the "
                                  "answers give ({outcome})"),
    "meldcode.step_item": ("{step}: {item}", "{step}: {item}"),
    "meldcode.answer_q5": ("beantwoord vraag 5 (leidt de hulp tot duurzame veiligheid?) op het "
                           "evaluatiemoment; loop de vragen steeds opnieuw door",
                           "answer question 5 (does the help lead to lasting safety?) at the "
                           "evaluation moment; keep re-running the questions"),
    "meldcode.report_vt": ("meld bij Veilig Thuis, met vermelding van stap 5, nadat u het met de "
                           "cliënt hebt besproken",
                           "report to Veilig Thuis, stating step 5, after discussing it with the "
                           "client"),
    # the other rules of the domain brief (workflow.checks)
    "check.one_casusregisseur": ("{count} actieve casusregisseurs ({names}); het huishouden heeft "
                                 "één vast gezicht (§1)",
                                 "{count} active casusregisseurs ({names}); the household has one "
                                 "fixed face (§1)"),
    "check.no_safety_plan": ("onveiligheid is bekend ({evidence}) maar er is geen "
                             "veiligheidsplan: start het veiligheidsspoor (§2, §5)",
                             "unsafety is known ({evidence}) but there is no safety plan: start "
                             "the safety track (§2, §5)"),
    "check.no_support_plan": ("onveiligheid is bekend ({evidence}) maar 1G1P1R is niet gestart "
                              "(geen ondersteuningsplan) (§2)",
                              "unsafety is known ({evidence}) but 1G1P1R has not started (no "
                              "support plan) (§2)"),
    "check.no_accepted_version": (
        "de overdracht is aangenomen maar legt niet vast welke versie van het "
        "overdrachtsdocument het lokale team aannam (§4)",
        "the handover is accepted but does not record which version of the handover document "
        "the local team accepted (§4)"),
    "check.other_version_accepted": (
        "het lokale team nam {accepted} aan, maar de overdracht noemt nu {current}: Veilig "
        "Thuis wijzigde het document daarna; de nieuwe inhoud is niet aangenomen (§4)",
        "the local team accepted {accepted}, but the handover now names {current}: Veilig Thuis "
        "changed the document afterwards; the new content was not accepted (§4)"),
    "check.not_signed": ("het veiligheidsplan is niet door de cliënt ondertekend (§2 stap 3b)",
                         "the safety plan is not signed by the client (§2 step 3b)"),
    "check.safety_plan_first": ("het ondersteuningsplan startte op {support}, het "
                                "veiligheidsplan op {safety}: bij onveiligheid komt het "
                                "veiligheidsplan eerst (§2 stap 3b)",
                                "the support plan started on {support}, the safety plan on "
                                "{safety}: when unsafe the safety plan comes first (§2 step 3b)"),
    "check.support_plan_incomplete": ("het ondersteuningsplan mist: {missing} (§2)",
                                      "the support plan lacks: {missing} (§2)"),
    "check.plan_part.phase": ("de 1G1P1R-fase", "the 1G1P1R phase"),
    "check.plan_part.title": ("een titel", "a title"),
    "check.plan_part.care_team": ("het team rond het huishouden", "the care team"),
    "check.plan_part.responsibility": ("de verantwoordelijkheid voor {areas}",
                                       "the responsibility statement for {areas}"),
    "check.no_next_meeting": ("er is geen datum voor het volgende overleg vastgelegd (§2 stap 3b)",
                              "no date for the next meeting is fixed (§2 step 3b)"),
    "check.meeting_passed": ("het volgende overleg ({day}) is voorbij en er is geen latere datum "
                             "vastgelegd (§2 stap 5)",
                             "the next meeting ({day}) has passed and no later date is fixed "
                             "(§2 step 5)"),
    "check.no_consent": ("er is geen actieve toestemming van een lid van het huishouden "
                         "vastgelegd; het startgesprek wordt voorbereid met toestemming van de "
                         "cliënt (§2 stap 3a)",
                         "no active consent of a household member is recorded; the start "
                         "meeting is prepared with the client's consent (§2 step 3a)"),
    "check.perpetrator_consents": ("de toestemming voor {child} (jonger dan 12) is alleen gegeven "
                                   "door een ouder die als vermoedelijke pleger is gemarkeerd; "
                                   "het gezag staat nog niet in de gids (issue 21): ga na wie het "
                                   "gezag heeft en vraag de andere ouder (§1)",
                                   "consent for {child} (under 12) was given only by a parent "
                                   "flagged as alleged perpetrator; parental authority is not "
                                   "recorded in the guide yet (issue 21): check who holds "
                                   "authority and ask the other parent (§1)"),
    "check.whom.client": ("de cliënt", "the client"),
    "check.whom.parent": ("een ouder", "a parent"),
    "check.whom.both": ("de cliënt of een ouder", "the client or a parent"),
    "check.not_discussed": ("de melding is vooraf niet besproken met {whom} (of de reden om het "
                            "gesprek over te slaan is niet vastgelegd) (§1, §3 stap 5)",
                            "the report is not discussed beforehand with {whom} (or the reason "
                            "to skip the conversation recorded) (§1, §3 step 5)"),
    "check.fgm": ("vrouwelijke genitale verminking: raadpleeg de specialist (GGD of Veilig Thuis) "
                  "in stap 2 (§3)",
                  "female genital mutilation: consult the specialist (GGD or Veilig Thuis) in "
                  "step 2 (§3)"),
    "check.no_risk_factor": ("het veiligheidsplan noemt geen risicofactor die de onveiligheid "
                             "veroorzaakte of in stand houdt (§4)",
                             "the safety plan names no risk factor that caused or sustains the "
                             "unsafety (§4)"),
    "check.no_activity": ("het veiligheidsplan noemt geen ondersteuning, hulp of behandeling (§4)",
                          "the safety plan names no support, help or treatment (§4)"),
    "check.vt_conditions": ("de veiligheidsvoorwaarden van Veilig Thuis staan niet in het plan: "
                            "{conditions} (§4)",
                            "Veilig Thuis's safety conditions are not in the plan: {conditions} "
                            "(§4)"),
    "check.either": ("{first} of {last}", "{first} or {last}"),
    "check.case_weight": ("zaakzwaarte {weight} gaat via {allowed} in regio {region}, niet via "
                          "{route} (§4, case_weight.{weight}_routes)",
                          "case weight {weight} goes by {allowed} in region {region}, not by "
                          "{route} (§4, case_weight.{weight}_routes)"),
    "check.planning_duration": ("afgerond op {end}, minder dan {months} maanden na de start op "
                                "{start}; veiligheidsplanning duurt meestal minstens {months} "
                                "maanden (§5, safety.planning_months_advice)",
                                "completed on {end}, less than {months} months after it started "
                                "on {start}; safety planning usually takes at least {months} "
                                "months (§5, safety.planning_months_advice)"),
    "check.no_safety_goal": ("gevaaruitspraak {ref} heeft geen eigen veiligheidsdoel (§5)",
                             "danger statement {ref} has no safety goal of its own (§5)"),
    "check.lacks.person": ("een veiligheidspersoon voor het kind", "a safe person for the child"),
    "check.lacks.object": ("een veilig voorwerp", "a safe object"),
    "check.lacks.log": ("een veiligheidslogboek (geen vermeldingen)", "a safety log (no entries)"),
    "check.lacks.checks": ("controlemomenten (monitoringschecks)",
                           "check moments (monitoring checks)"),
    "check.direct_lacks": ("het directe veiligheidsplan mist {items} (§5)",
                           "the direct safety plan lacks {items} (§5)"),
    "check.plan.assistance-plan": ("hulpverleningsplan", "assistance-plan"),
    "check.plan.recovery-plan": ("herstelplan", "recovery-plan"),
    "check.not_linked": ("het {plan} is niet gekoppeld aan het veiligheidsplan (basedOn of "
                         "partOf) (§5)",
                         "the {plan} is not linked to the safety plan (basedOn or partOf) (§5)"),
    "check.honour_label": ("noemt eergerelateerd geweld maar is niet gelabeld als V (zeer "
                           "beperkt) (§6)",
                           "names honour-related violence but is not labelled V (very "
                           "restricted) (§6)"),
    # codes of FHIR statuses and of the guide, in words (the JSON keeps the codes)
    "workflow.resource_status.active": ("actief", "active"),
    "workflow.resource_status.completed": ("afgerond", "completed"),
    "workflow.resource_status.on-hold": ("gepauzeerd", "on-hold"),
    "workflow.resource_status.draft": ("concept", "draft"),
    "workflow.resource_status.revoked": ("ingetrokken", "revoked"),
    "workflow.resource_status.entered-in-error": ("foutief ingevoerd", "entered-in-error"),
    "workflow.resource_status.unknown": ("onbekend", "unknown"),
    "workflow.resource_status.requested": ("gevraagd", "requested"),
    "workflow.resource_status.received": ("ontvangen", "received"),
    "workflow.resource_status.accepted": ("geaccepteerd", "accepted"),
    "workflow.resource_status.rejected": ("afgewezen", "rejected"),
    "workflow.resource_status.ready": ("klaar", "ready"),
    "workflow.resource_status.in-progress": ("bezig", "in-progress"),
    "workflow.resource_status.failed": ("mislukt", "failed"),
    "workflow.resource_status.cancelled": ("geannuleerd", "cancelled"),
    "workflow.kind.direct": ("direct", "direct"),
    "workflow.kind.stable": ("stabiel", "stable"),
    "workflow.kind.long-term": ("lange termijn", "long-term"),
    "workflow.criterion.stable.no-incidents": ("geen incidenten", "stable.no-incidents"),
    "workflow.criterion.stable.risk-factors": ("risicofactoren", "stable.risk-factors"),
    "workflow.criterion.stable.recovery-started": ("herstel begonnen",
                                                   "stable.recovery-started"),
    "meldcode.question.q1-suspicion": ("vraag 1 (vermoeden)", "q1-suspicion"),
    "meldcode.question.q2-acute-structural-unsafety": ("vraag 2 (acute of structurele "
                                                       "onveiligheid)",
                                                       "q2-acute-structural-unsafety"),
    "meldcode.question.q3-can-help": ("vraag 3 (hulp mogelijk)", "q3-can-help"),
    "meldcode.question.q4-cooperation": ("vraag 4 (medewerking)", "q4-cooperation"),
    "meldcode.question.q5-lasting-safety": ("vraag 5 (duurzame veiligheid)", "q5-lasting-safety"),
    # --- the handover (Veilig Thuis and the local team: "u"); the demo story shows these lines
    "handover.sent": ("{task} versie {version} ({status}) op {server}",
                      "{task} version {version} ({status}) on {server}"),
    "handover.route": ("route {route}: {count} resources gaan mee ({kinds})",
                       "route {route}: {count} resources ({kinds})"),
    "handover.left_out": ("weggelaten: {reason}", "left out: {reason}"),
    "handover.cut": ("onderdeel {section} gaat niet mee op route {route} (DOMAIN.md §4: alleen "
                     "wat het lokale team voor zijn taak nodig heeft)",
                     "section {section} is not handed over on route {route} (DOMAIN.md §4: only "
                     "what the local team needs for its task)"),
    "handover.stays": ("blijft bij Veilig Thuis: {count} resource(s) van de casus ({kinds}): de "
                       "overdracht verwijst er niet naar",
                       "stays with Veilig Thuis: {count} resource(s) of the case ({kinds}): the "
                       "handover does not refer to them"),
    "handover.redacted": ("afgeschermd: {ref} {path}: {reason}",
                          "redacted: {ref} {path}: {reason}"),
    "handover.written": ("weggeschreven: {count} resource(s)", "written: {count} resource(s)"),
    "handover.nothing_written": ("niets veranderd: niets weggeschreven",
                                 "nothing changed: nothing written"),
    "handover.not_notified": ("geen bericht verstuurd: deze versie is het eigen antwoord van het "
                              "lokale team",
                              "not notified: this version is the local team's own answer"),
    "handover.notified": ("bericht verstuurd: {task} op de server van het lokale team",
                          "notified: {task} on the local team's server"),
    "handover.already_notified": ("bericht was al verstuurd: {task} op de server van het lokale "
                                  "team",
                                  "already notified: {task} on the local team's server"),
    "handover.status.requested": ("aangeboden", "offered"),
    "handover.status.received": ("ontvangen", "received"),
    "handover.status.accepted": ("aangenomen", "accepted"),
    "handover.status.rejected": ("afgewezen", "rejected"),
    "handover.status.cancelled": ("ingetrokken", "withdrawn"),
    "handover.status.in-progress": ("in behandeling", "in progress"),
    "handover.status.completed": ("afgerond", "completed"),
    "handover.status.failed": ("geweigerd", "refused"),
    "handover.status.waiting": ("nog niet opgehaald", "not fetched yet"),
    "handover.taken.taken-in": ("opgehaald", "fetched"),
    "handover.taken.updated": ("bijgewerkt", "updated"),
    "handover.taken.duplicate": ("dubbel", "duplicate"),
    "handover.taken.superseded": ("vervangen", "superseded"),
    "handover.taken.cancelled": ("ingetrokken", "withdrawn"),
    "handover.taken.refused": ("geweigerd", "refused"),
    "handover.taken.waiting": ("wacht", "waiting"),
    "handover.version": ("versie {version}", "version {version}"),
    "handover.processed": ("Verwerkt: {outcomes}", "Processed: {outcomes}"),
    "handover.no_new": ("geen nieuwe berichten", "no new messages"),
    "handover.kept": ("bewaard in {where}", "kept in {where}"),
    "handover.flagged": ("{count} ter controle gemarkeerd", "{count} flagged for review"),
    "handover.inbox_empty": ("Geen overdrachten.", "No handovers."),
    "handover.case_weight": ("casuszwaarte {weight}", "case weight {weight}"),
    "handover.acute": ("acuut", "acute"),
    "handover.not_acute": ("niet acuut", "not acute"),
    "handover.responsible_since": ("verantwoordelijk sinds {transfer}",
                                   "responsible since {transfer}"),
    "handover.no_household": ("huishouden onbekend", "household unknown"),
    "handover.review": ("  ter controle: {subject}: {text}", "  to review: {subject}: {text}"),
    "handover.accepted": ("{task}: aangenomen; verantwoordelijk voor zicht op veiligheid sinds "
                          "{transfer}",
                          "{task}: accepted; responsible for oversight of safety since "
                          "{transfer}"),
    "handover.accepted_before": ("(was al aangenomen)", "(was accepted before)"),
    "handover.term": ("  termijn {due}  {rule}  {description}",
                      "  due {due}  {rule}  {description}"),
    "handover.term_vt": ("(ook bij Veilig Thuis)", "(also at Veilig Thuis)"),
    "handover.term_met": ("[gehaald]", "[met]"),
    "handover.plan": ("  veiligheidsplan: {plan}", "  safety plan: {plan}"),
    "handover.rejected": ("{task}: afgewezen", "{task}: rejected"),
    "handover.rejected_before": ("(was al afgewezen)", "(was rejected before)"),
    # --- error lines of the coordinators' commands (status|deadlines|safety|meldcode, demo):
    # one line on bad input; details that are developers' diagnostics stay as they are
    "cli.at_date": ("--at {value}: verwacht een datum als JJJJ-MM-DD",
                    "--at {value}: expected a date YYYY-MM-DD"),
    "cli.server_needs_household": ("--server heeft --household ID nodig",
                                   "--server needs --household ID"),
    "cli.out_not_folder": ("--out {path}: dit is geen map", "--out {path}: not a directory"),
    "source.not_bundle": ("geen FHIR-Bundle (resourceType moet 'Bundle' zijn)",
                          "not a FHIR Bundle (resourceType must be 'Bundle')"),
    "source.cannot_read": ("{path}: kan het bestand niet lezen ({error})",
                           "{path}: cannot read ({error})"),
    "source.not_json": ("{path}: geen geldige JSON", "{path}: not valid JSON"),
    "source.in_file": ("{path}: {error}", "{path}: {error}"),
    "source.unknown_example": ("onbekend voorbeeldhuishouden {household}",
                               "unknown example household {household}"),
    "source.group_not_found": ("{url}: Group/{household} niet gevonden",
                               "{url}: Group/{household} not found"),
    "source.cannot_read_group": ("{url}: kan Group/{household} niet lezen ({error})",
                                 "{url}: cannot read Group/{household} ({error})"),
    "household.not_one": ("verwacht één huishouden (Group), gevonden: {count}",
                          "expected one household Group, found {count}"),
    "household.not_among": ("huishouden Group/{household} staat niet tussen de resources",
                            "household Group/{household} is not among the resources"),
    "region.cannot_read": ("{path}: kan het bestand niet lezen ({error})",
                           "{path}: cannot read ({error})"),
    "region.unknown": ("onbekende regio {name} (bekend: {known})",
                       "unknown region {name} (known: {known})"),
}

#: fixed English texts (no placeholders) of other modules -> their message id, for tell()
_FIXED_ENGLISH = {english: message_id for message_id, (_, english) in MESSAGES.items()
                  if message_id.startswith("consent.reason.")}


class Said(str):
    """A catalogue message as a plain English string (JSON, logs, comparisons) that remembers
    its id and values, so that :func:`tell` can render it in another language."""

    message_id: str
    values: dict[str, object]

    def __new__(cls, message_id: str, /, **values: object) -> Said:
        said = super().__new__(cls, say(message_id, "en", **{k: tell(v, "en")
                                                              for k, v in values.items()}))
        said.message_id, said.values = message_id, values
        return said


def said(message_id: str, /, **values: object) -> Said:
    """A message kept as English text, to be told in the reader's language later."""
    return Said(message_id, **values)


def tell(text: object, lang: str = "nl") -> str:
    """``text`` in ``lang``: a :class:`Said` is rendered from the catalogue (its values told
    too), a list is told item by item and joined with commas, a fixed English text of another
    module that the catalogue knows (``consent.reason.*``) in its words, anything else as it is
    (names, references, dates, codes)."""
    if isinstance(text, Said):
        return say(text.message_id, lang, **{k: tell(v, lang) for k, v in text.values.items()})
    if isinstance(text, (list, tuple)):
        return ", ".join(tell(item, lang) for item in text)
    message_id = _FIXED_ENGLISH.get(str(text))
    return say(message_id, lang) if message_id else str(text)


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
