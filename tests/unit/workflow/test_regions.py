"""Regional settings: shipped regions load; every mistake is one line naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fhir_regie.workflow.regions import (
    RegionError,
    load_region,
    parse_region,
    region_names,
)

SHIPPED = ["default", "flevoland", "gelderland-midden", "haaglanden", "twente"]


def test_the_five_regions_are_shipped_and_valid():
    assert region_names() == SHIPPED
    for name in SHIPPED:
        assert load_region(name).name == name


def test_defaults_carry_the_numbers_of_the_domain_brief():
    region = load_region("default")
    assert region.vt.safety_assessment_working_days == 5
    assert region.local_team.first_contact_days == 14
    assert region.local_team.first_contact_acute_days == 1
    order = region.restraining_order
    assert (order.duration_days, order.extension_days, order.inform_local_team_by_day,
            order.joint_talk_working_days, order.advice_on_day) == (10, 18, 2, 2, 8)
    assert region.monitoring.moments_months == (3, 12)
    safety = region.safety
    assert (safety.stable_months_without_incident, safety.direct_min_score,
            safety.risk_guided_min_score, safety.risk_guided_months,
            safety.scoring_interval_months, safety.recovery_min_score,
            safety.max_danger_statements, safety.talk_with_child_days) == (6, 6, 6, 6, 1, 7, 4, 14)
    assert region.plan.min_informal_network_before_closing == 3
    assert region.calendar.liberation_day == "every-year"


def test_flevoland_monitors_at_3_6_and_12_months_and_inherits_the_rest():
    flevoland = load_region("flevoland")
    assert flevoland.monitoring.moments_months == (3, 6, 12)
    assert flevoland.vt == load_region("default").vt
    assert flevoland.source == "regions/default.yaml + regions/flevoland.yaml"


def defaults() -> dict:
    return yaml.safe_load(Path(__file__).parents[3].joinpath(
        "src/fhir_regie/regions/default.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("text", "line"), [
    ("name: flevoland\ntitle: F\nmonitoring:\n  moment_months: [3, 6]\n",
     "regions/flevoland.yaml: monitoring.moment_months: unknown key "
     "(did you mean 'moments_months'?)"),
    ("name: flevoland\ntitle: F\nmonitoring:\n  moments_months: [6, 3]\n",
     "regions/flevoland.yaml: monitoring.moments_months: must be strictly increasing, "
     "got [6, 3]"),
    ("name: flevoland\ntitle: F\nmonitoring:\n  moments_months: []\n",
     "regions/flevoland.yaml: monitoring.moments_months: Tuple should have at least 1 item "
     "after validation, not 0 (got [])"),
    ("name: flevoland\ntitle: F\nsafety:\n  direct_min_score: 11\n",
     "regions/flevoland.yaml: safety.direct_min_score: Input should be less than or equal to 10 "
     "(got 11)"),
    ("name: flevoland\ntitle: F\nvt:\n  safety_assessment_working_days: '5'\n",
     "regions/flevoland.yaml: vt.safety_assessment_working_days: Input should be a valid "
     "integer (got '5')"),
    ("name: flevoland\ntitle: F\nvtt:\n  safety_assessment_working_days: 5\n",
     "regions/flevoland.yaml: vtt: unknown key (did you mean 'vt'?)"),
    ("name: flevoland\ntitle: F\nrestraining_order:\n  advice_on_day: 12\n",
     "regions/flevoland.yaml: restraining_order: advice_on_day (12) falls after the order ends "
     "(duration_days 10)"),
    ("name: twente\ntitle: F\n",
     "regions/flevoland.yaml: name: 'twente' does not match the file name 'flevoland'"),
    ("title: F\nname: 'flevoland\n", "regions/flevoland.yaml: line 3: not valid YAML"),
    ("- a list\n", "regions/flevoland.yaml: (top level): expected a mapping of settings"),
    ("name: flevoland\ntitle: F\nsafety:\n  direct_min_scor: 6\n  recovery_min_scor: 7\n",
     "regions/flevoland.yaml: safety.direct_min_scor: unknown key "
     "(did you mean 'direct_min_score'?) (and 1 more)"),
])
def test_a_mistake_gives_one_line_naming_file_and_key(text, line):
    with pytest.raises(RegionError) as caught:
        parse_region(text, "regions/flevoland.yaml", defaults=defaults(),
                     expected_name="flevoland")
    assert str(caught.value) == line
    assert "\n" not in str(caught.value)


def test_an_incomplete_default_blames_the_default_file():
    broken = defaults()
    del broken["vt"]
    with pytest.raises(RegionError, match=r"^regions/default.yaml: vt: required key is missing$"):
        parse_region("name: flevoland\ntitle: F\n", "regions/flevoland.yaml", defaults=broken)


def test_a_region_file_by_path_is_laid_over_the_defaults(tmp_path):
    own = tmp_path / "mine.yaml"
    own.write_text("name: mine\ntitle: Mine\nplan:\n  stagnation_overdue_days: 7\n",
                   encoding="utf-8")
    region = load_region(str(own))
    assert region.plan.stagnation_overdue_days == 7
    assert region.plan.stagnation_overdue_actions == 3


def test_a_typo_in_a_file_by_path_names_that_file(tmp_path):
    own = tmp_path / "mine.yaml"
    own.write_text("name: mine\ntitle: Mine\nplan:\n  stagnation_overdue_dayz: 7\n",
                   encoding="utf-8")
    with pytest.raises(RegionError) as caught:
        load_region(str(own))
    assert str(caught.value) == (f"{own}: plan.stagnation_overdue_dayz: unknown key "
                                 "(did you mean 'stagnation_overdue_days'?)")


def test_unknown_region_and_unreadable_file_are_one_line():
    with pytest.raises(RegionError, match=r"^unknown region 'utrecht' \(known: default, "):
        load_region("utrecht")
    with pytest.raises(RegionError, match=r"missing.yaml: cannot read \(FileNotFoundError\)$"):
        load_region("/nonexistent/missing.yaml")


def test_settings_are_frozen_and_serialisable():
    region = load_region("default")
    with pytest.raises(Exception, match="frozen"):
        region.vt.safety_assessment_working_days = 3  # type: ignore[misc]
    assert region.to_dict()["monitoring"]["moments_months"] == [3, 12]


def test_the_regions_table_in_the_docs_matches_the_files():
    names = region_names()
    regions = {n: load_region(n).to_dict() for n in names}
    docs = Path(__file__).parents[3].joinpath("docs/workflow.md").read_text(encoding="utf-8")
    for section, values in regions["default"].items():
        if not isinstance(values, dict):
            continue
        for key in values:
            cells = []
            for name in names:
                value = regions[name][section][key]
                text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
                differs = name != "default" and value != regions["default"][section][key]
                cells.append(f"**{text}**" if differs else text)
            row = f"| `{section}.{key}` | " + " | ".join(cells) + " |"
            assert row in docs, f"docs/workflow.md is out of date: {row}"
