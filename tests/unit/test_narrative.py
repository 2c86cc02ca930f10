"""The narrative's XHTML (txt-1, txt-2): what FHIR R4 narrative.html allows, and nothing
hostile gets through or crashes the check."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fhir_regie.validation.narrative import narrative_problems


def _div(body: str, attributes: str = "") -> str:
    return f'<div xmlns="http://www.w3.org/1999/xhtml"{attributes}>{body}</div>'


@pytest.mark.parametrize("body", [
    "<p>Sanne de Vries</p>",
    '<p>Zie <a href="https://www.veiligthuis.nl">Veilig Thuis</a></p>',
    '<table border="1"><caption>Scores</caption><tbody><tr><th scope="col">Datum</th>'
    '<td colspan="2">6</td></tr></tbody></table>',
    '<ul><li class="x" style="color: red">een</li></ul><img src="#foto" alt="foto"/>',
    '<div xml:lang="nl" lang="nl"><p>Tekst</p></div><!-- opmerking -->',
    "<pre>  vaste\n  breedte  </pre><br/><hr/>",
])
def test_allowed_narratives(body):
    assert narrative_problems(_div(body)) == []


def test_an_image_is_content_enough():
    assert narrative_problems(_div('<img src="#handtekening"/>')) == []


@pytest.mark.parametrize(("div", "reason"), [
    (_div("<script>alert(1)</script>x"), "element script is not allowed"),
    (_div('<iframe src="https://x.example"/>x'), "element iframe is not allowed"),
    (_div("<form><input/></form>x"), "element form is not allowed"),
    (_div('<p onclick="steal()">x</p>'), "attribute onclick is not allowed on p"),
    (_div('<img src="a.png" onerror="x()"/>'), "attribute onerror is not allowed on img"),
    (_div('<span href="#x">x</span>'), "attribute href is not allowed on span"),
    (_div('<a href=" JavaScript:alert(1)">x</a>'), "the href of a runs script"),
    (_div('<img src="data:text/html;base64,PHNjcmlwdD4="/>'), "the src of img runs script"),
    (_div("<p>x<div>y</div></p>"), "element div is not allowed inside a paragraph"),
    (_div("<p><span><ul><li>y</li></ul></span></p>"),
     "element ul is not allowed inside a paragraph"),
    (_div('<svg xmlns="http://www.w3.org/2000/svg"/>x'),
     "element {http://www.w3.org/2000/svg}svg is in another namespace"),
    ("<div><p>x</p></div>", "the root must be a div in the XHTML namespace, not div"),
    ('<p xmlns="http://www.w3.org/1999/xhtml">x</p>',
     "the root must be a div in the XHTML namespace, not p"),
    (_div("<p>x"), "not well-formed XHTML (mismatched tag)"),
    ("not xml at all", "not well-formed XHTML (syntax error)"),
    ('<!DOCTYPE d [<!ENTITY a "aaaa">]>' + _div("&a;"),
     "a DOCTYPE or entity declaration is not allowed"),
])
def test_txt_1(div, reason):
    assert ("txt-1", reason) in narrative_problems(div)


@pytest.mark.parametrize("body", ["", "   \n\t", "<p> </p><br/>", "<!-- alleen opmerking -->"])
def test_txt_2_needs_some_content(body):
    assert narrative_problems(_div(body)) == [("txt-2", "the narrative has no content")]


def test_reasons_never_quote_the_text():
    """A narrative is personal data: reasons name markup, never what it says."""
    for div in (_div("<p>BSN 999990007<blink>Sanne</blink></p>"), _div("<p>Sanne")):
        for _, reason in narrative_problems(div):
            assert "Sanne" not in reason
            assert "999990007" not in reason


def test_billion_laughs_is_refused_before_parsing():
    bomb = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i else "&lol;"}' * 10
                      + '">' for i in range(1, 10)) + "]>" + _div("&lol9;"))
    assert narrative_problems(bomb) == [("txt-1", "a DOCTYPE or entity declaration is not allowed")]


def test_deep_and_large_narratives():
    deep = _div("<span>" * 5000 + "x" + "</span>" * 5000)
    assert narrative_problems(deep) == []  # deep but allowed: no recursion limit reached
    big = _div("<p>" + "x" * 10_000_000 + "</p>")
    assert narrative_problems(big) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_raises(text):
    for div in (text, _div(text)):
        assert all(key in ("txt-1", "txt-2") for key, _ in narrative_problems(div))
