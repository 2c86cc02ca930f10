"""Colour contrast of every colour the documents, the viewer and the chart use: at least 4.5:1
(WCAG 2.1 success criterion 1.4.3) against every background they are used on."""

from __future__ import annotations

import re

from fhir_regie.render.chart import SERIES, THRESHOLD_COLOUR
from fhir_regie.render.html import stylesheet


def luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_is_right():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48   # the classic just-too-light grey


def test_every_text_colour_has_enough_contrast_on_every_background():
    css = stylesheet()
    texts = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", css))
    backgrounds = set(re.findall(r"background(?:-color)?:\s*(#[0-9a-fA-F]{3,6})", css))
    assert texts
    assert backgrounds == {"#ffffff", "#f2f5f8"}
    weak = [(t, b, round(contrast(t, b), 2)) for t in texts for b in backgrounds
            if contrast(t, b) < 4.5]
    assert weak == []


def test_chart_lines_and_thresholds_have_enough_contrast_on_white():
    for colour in [c for c, _ in SERIES] + [THRESHOLD_COLOUR]:
        assert contrast(colour, "#ffffff") >= 4.5, colour


def test_focus_is_visible():
    assert "a:focus, a:hover, button:focus, summary:focus { outline: 3px solid #1a1a1a;" in \
        stylesheet()
