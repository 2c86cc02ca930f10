"""The message catalogue (fhir_regie.messages): every message in Dutch and English with the
same placeholders, and Dutch output that holds no message id and no English text of the
catalogue (the viewer's error pages through the ASGI app, the sync round's lines)."""

from __future__ import annotations

import re
import string

import pytest
import responses
from starlette.testclient import TestClient

from fhir_regie.client.errors import NotFound, TransportError
from fhir_regie.messages import LANGUAGES, MESSAGES, MessageError, error_words, say
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


def assert_dutch(text: str) -> None:
    for message_id in MESSAGES:
        assert message_id not in text, f"untranslated message id {message_id}"
    for sentence in english_sentences():
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
