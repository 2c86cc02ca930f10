"""The message catalogue (fhir_regie.messages): every message in Dutch and English with the
same placeholders, and Dutch output that holds no message id and no English text of the
catalogue (the viewer's error pages through the ASGI app, the sync round's lines, the workflow
commands on the example households, the handover lines; the whole demo story is checked in
tests/integration/test_servers.py)."""

from __future__ import annotations

import io
import json
import re
import string

import pytest
import responses
from starlette.testclient import TestClient

from fhir_regie.cli import main
from fhir_regie.client.errors import NotFound, TransportError
from fhir_regie.handover.package import describe
from fhir_regie.handover.routes import Cut
from fhir_regie.messages import LANGUAGES, MESSAGES, MessageError, Said, error_words, say, tell
from fhir_regie.viewer.app import ViewerConfig, create_app

SERVER = "https://ehr.example.nl/fhir"


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


@pytest.mark.parametrize("message_id", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(message_id: str):
    dutch, english = MESSAGES[message_id]
    assert dutch.strip()
    assert english.strip()
    assert placeholders(dutch) == placeholders(english)
    if len(english.split()) > 2:                 # a sentence, not a single word
        assert dutch != english


def test_professionals_are_addressed_with_u_never_je():
    for message_id, (dutch, _) in MESSAGES.items():
        if message_id.startswith("viewer."):
            assert not re.search(r"\b(je|jij|jouw)\b", dutch), message_id


def test_unknown_ids_and_languages_are_refused():
    with pytest.raises(MessageError, match="no message"):
        say("viewer.does-not-exist")
    with pytest.raises(MessageError, match="language 'de'"):
        say("viewer.failed.text", "de")
    assert LANGUAGES == ("nl", "en")


def test_server_errors_are_words_not_class_names():
    assert error_words(NotFound.__new__(NotFound)) == "niet gevonden"
    assert error_words(TransportError("x")) == "niet bereikbaar"
    assert error_words(ValueError("x"), "en") == "unknown error"


def english_sentences() -> list[str]:
    """The English texts of the catalogue, cut at their placeholders (the fixed parts)."""
    parts = []
    for _, english in MESSAGES.values():
        parts += [p.strip() for p in re.split(r"\{[^}]*\}", english) if len(p.strip()) > 12]
    return parts


def english_words() -> set[str]:
    """The English texts of the catalogue cut at placeholders, minus the parts that Dutch
    texts use too (codes such as ``recovery-plan`` or ``entered-in-error``)."""
    dutch = " ".join(d for d, _ in MESSAGES.values())
    return {p for p in english_sentences() if p not in dutch}


def assert_dutch(text: str) -> None:
    for message_id in MESSAGES:
        assert message_id not in text, f"untranslated message id {message_id}"
    for sentence in english_words():
        assert sentence not in text, f"English text in Dutch output: {sentence!r}"


def test_the_checker_catches_english_and_ids():
    with pytest.raises(AssertionError, match="English text"):
        assert_dutch(f"<p>{say('viewer.failed.text', 'en')}</p>")
    with pytest.raises(AssertionError, match="message id"):
        assert_dutch("<p>viewer.failed.text</p>")


@responses.activate
def test_the_viewers_error_pages_are_dutch():
    app = create_app(ViewerConfig(server=SERVER, client_id="viewer",
                                  base_url="http://127.0.0.1:8765"))
    http = TestClient(app, base_url="http://127.0.0.1:8765", follow_redirects=False)
    pages = [http.get("/nergens"), http.post("/"), http.get("/plan/x%3Fy"),
             http.get("/launch?iss=https://elders.example.nl/fhir&launch=x"),
             http.get("/launch?iss=" + SERVER), http.get("/callback?code=c&state=s"),
             http.get("/")]
    assert [p.status_code for p in pages] == [404, 405, 404, 400, 400, 400, 200]
    for page in pages:
        assert_dutch(page.text)
    assert "Deze pagina bestaat niet." in pages[0].text
    assert "alleen met de eigen FHIR-server" in pages[3].text


def test_the_sync_rounds_lines_are_dutch_by_default_and_english_on_request():
    dutch = [say(m, folder="/tmp/x", export="e1", applied=3, status="klaar", sent="A1 afgerond",
                 denied=1, count=2, state="s.db")
             for m in MESSAGES if m.startswith("sync.")]
    assert_dutch("\n".join(dutch))
    english = say("sync.start", "en", folder="/tmp/x")
    assert english.startswith("Sync with the municipality's case system")


def test_professionals_are_addressed_with_u_in_the_workflow_and_handover_texts():
    for message_id, (dutch, _) in MESSAGES.items():
        if message_id.startswith(("workflow.", "safety.", "guard.", "meldcode.", "check.",
                                  "handover.")):
            assert not re.search(r"\b(je|jij|jouw)\b", dutch), message_id


def test_said_is_english_for_json_and_told_in_dutch():
    text = Said("safety.no_incidents", months=6)
    assert text == "No incidents for 6 months"             # the JSON and the rules see English
    assert json.dumps({"d": text}) == '{"d": "No incidents for 6 months"}'
    assert tell(text) == "Geen incidenten gedurende 6 maanden"
    nested = Said("guard.not_stable", criteria=[Said("workflow.criterion.stable.no-incidents")])
    assert nested == "safety plan is short of stable safety (stable.no-incidents)"
    assert tell(nested) == ("het veiligheidsplan heeft nog geen stabiele veiligheid "
                            "(geen incidenten)")
    assert tell("Patient/x") == "Patient/x"                    # names and references stay


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


HOUSEHOLDS = ["household-de-vries", "household-hv-0417", "household-van-den-berg"]
ENGLISH_MARKERS = {"status": ["(region ", "Closing the plan: "],
                   "deadlines": ["STATUS ", "(no deadlines)"],
                   "safety": ["stable safety: ", "(no safety plan)"],
                   "meldcode": ["  next step: ", "(no meldcode trail)"]}


@pytest.mark.parametrize("household", HOUSEHOLDS)
@pytest.mark.parametrize("command", ["status", "deadlines", "safety", "meldcode"])
def test_the_workflow_commands_speak_dutch_by_default_and_english_on_request(command, household):
    for at in ("2026-10-20", "2026-11-25", "2027-06-01"):
        for region in ("default", "haaglanden"):
            argv = [command, "--example", household, "--at", at, "--region", region]
            code, dutch_out, err = run(*argv)
            assert err == ""
            assert code in (0, 1)
            assert_dutch(dutch_out)
            code_en, english_out, _ = run(*argv, "--lang", "en")
            assert code_en == code                              # the language changes no verdict
            assert dutch_out != english_out
            assert any(marker in english_out for marker in ENGLISH_MARKERS[command])


def test_the_dashboard_headings_and_safety_progress_are_dutch():
    _, out, _ = run("status", "--example", "household-de-vries", "--at", "2026-12-03")
    for words in ("Termijnen:", "STAND", "UITERLIJK", "Veiligheidsplannen:",
                  "fase veiligheid; nog niet klaar voor risicogestuurde zorg",
                  "stabiele veiligheid: nee", "Plan afsluiten: geblokkeerd",
                  "Overige regels: geen bevindingen"):
        assert words in out, words
    _, out, _ = run("status", "--example", "household-de-vries", "--at", "2026-12-03",
                    "--lang", "en")
    for words in ("Deadlines:", "STATUS  ", "phase safety; not ready for risk-guided",
                  "stable safety: no", "Closing the plan: blocked"):
        assert words in out, words


def test_json_stays_english_for_developers():
    _, out, _ = run("status", "--example", "household-de-vries", "--at", "2026-12-03",
                    "--format", "json")
    data = json.loads(out)
    assert {o["status"] for o in data["deadlines"]} <= {"open", "met", "overdue", "unknown"}
    [plan] = data["safety"]
    assert plan["phase"] == "safety"
    assert plan["stable_safety"]["criteria"][0]["description"] == "No incidents for 6 months"
    assert "veiligheid" not in json.dumps(data["close_plan"])


def test_the_handover_description_is_dutch_and_english_on_request():
    class Package:                                     # what describe() reads of a package
        route = "after-voorwaarden-en-vervolg"
        resources = ({"resourceType": "Task", "id": "t"},)
        cuts = (Cut("vt-judgement", "after-voorwaarden-en-vervolg"),)
        stays = ("RelatedPerson/r",)
        redactions = (("Composition/c", "Composition.section", "reporter identity: the "
                       "reporter is anonymous or no contact is needed"),)

    dutch = describe(Package())                        # type: ignore[arg-type]
    assert_dutch("\n".join(dutch))
    assert dutch[1].startswith("weggelaten: onderdeel vt-judgement gaat niet mee")
    assert dutch[-1].endswith("wie er meldde: de melder is anoniem of contact is niet nodig")
    english = describe(Package(), "en")                # type: ignore[arg-type]
    assert english[2].startswith("stays with Veilig Thuis: 1 resource(s)")


def test_the_lines_of_taking_in_and_answering_are_dutch_and_english_on_request():
    from fhir_regie.handover.answer import Answered
    from fhir_regie.handover.deadlines import Term
    from fhir_regie.handover.inbox import Taken, counts_line

    taken = Taken("Task/n1", "taken-in", handover="Task/h1", version="2", flagged=1)
    assert taken.line() == "Task/n1: opgehaald - Task/h1 versie 2 - 1 ter controle gemarkeerd"
    assert taken.line("en") == "Task/n1: fetched - Task/h1 version 2 - 1 flagged for review"
    assert counts_line({"taken-in": 2, "refused": 1}) == "Verwerkt: 1 geweigerd, 2 opgehaald"
    assert counts_line({}, "en") == "Processed: no new messages"
    term = Term({"restriction": {"period": {"end": "2026-12-03"}}, "status": "requested",
                 "description": "Het lokale team neemt contact op"}, "local-team-first-contact",
                True)
    accepted = Answered("Task/h1", "accepted", "2026-11-19T09:15:27+01:00", (term,), "CarePlan/p")
    dutch = accepted.lines()
    assert_dutch("\n".join(dutch))
    assert dutch[0] == ("Task/h1: aangenomen; verantwoordelijk voor zicht op veiligheid sinds "
                        "2026-11-19T09:15:27+01:00")
    assert dutch[1].endswith("Het lokale team neemt contact op  (ook bij Veilig Thuis)")
    assert accepted.lines("en")[-1] == "  safety plan: CarePlan/p"
    rejected = Answered("Task/h1", "rejected", already=True)
    assert rejected.lines() == ["Task/h1: afgewezen (was al afgewezen)"]
    assert rejected.lines("en") == ["Task/h1: rejected (was rejected before)"]
