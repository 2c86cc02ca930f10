"""Three-way merge (fhir_regie.sync.merge): laws and the cases the engine relies on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fhir_regie.sync.merge import merge

BASE = {"resourceType": "Task", "id": "t", "status": "requested", "description": "Bellen",
        "restriction": {"period": {"end": "2026-12-31"}, "repetitions": 1},
        "extension": [{"url": "https://x/a", "valueString": "1"},
                      {"url": "https://x/b", "valueString": "2"}],
        "note": [{"text": "eerste"}]}


def test_changes_to_different_fields_are_merged():
    result = merge(BASE, dict(BASE, description="Bellen met school"),
                   dict(BASE, status="completed"))
    assert result.ok
    assert result.merged["status"] == "completed"
    assert result.merged["description"] == "Bellen met school"
    assert result.ours_changed == ("description",)
    assert result.theirs_changed == ("status",)


def test_changes_to_one_field_conflict_with_its_path():
    result = merge(BASE, dict(BASE, status="in-progress"), dict(BASE, status="completed"))
    assert not result.ok
    assert result.merged is None
    assert result.conflicts == ("status",)


def test_objects_merge_element_by_element():
    ours = dict(BASE, restriction={"period": {"end": "2027-01-15"}, "repetitions": 1})
    theirs = dict(BASE, restriction={"period": {"end": "2026-12-31"}, "repetitions": 2})
    result = merge(BASE, ours, theirs)
    assert result.merged["restriction"] == {"period": {"end": "2027-01-15"}, "repetitions": 2}
    clash = merge(BASE, ours, dict(BASE, restriction={"period": {"end": "2027-02-01"},
                                                      "repetitions": 1}))
    assert clash.conflicts == ("restriction.period.end",)


def test_extensions_merge_per_url_and_lists_do_not():
    ours = dict(BASE, extension=[{"url": "https://x/a", "valueString": "9"},
                                 BASE["extension"][1]])
    theirs = dict(BASE, extension=[*BASE["extension"],
                                   {"url": "https://x/c", "valueBoolean": True}])
    result = merge(BASE, ours, theirs)
    assert result.merged["extension"] == [{"url": "https://x/a", "valueString": "9"},
                                          {"url": "https://x/b", "valueString": "2"},
                                          {"url": "https://x/c", "valueBoolean": True}]
    notes = merge(BASE, dict(BASE, note=[{"text": "a"}]), dict(BASE, note=[{"text": "b"}]))
    assert notes.conflicts == ("note",)


def test_a_removal_on_one_side_is_a_change():
    ours = {k: v for k, v in BASE.items() if k != "note"}
    result = merge(BASE, ours, dict(BASE, status="completed"))
    assert "note" not in result.merged
    assert result.merged["status"] == "completed"


def test_without_a_base_every_difference_is_a_conflict():
    result = merge(None, dict(BASE, status="a"), dict(BASE, status="b", description="x"))
    assert result.conflicts == ("description", "status")
    assert merge(None, BASE, dict(BASE, id="other")).ok  # only the id differs: same content


def test_the_later_change_moment_wins_when_both_moved_it():
    ours = dict(BASE, status="completed", lastModified="2026-12-01T17:55:00+01:00")
    theirs = dict(BASE, description="x", lastModified="2026-12-01T16:00:00Z")
    result = merge(dict(BASE, lastModified="2026-11-20T09:00:00+01:00"), ours, theirs)
    assert result.merged["lastModified"] == "2026-12-01T17:55:00+01:00"  # 16:55Z > 16:00Z


def test_the_result_keeps_ours_id_and_version_for_if_match():
    ours = dict(BASE, id="local-1", meta={"versionId": "4", "lastUpdated": "2026-12-01T10:00Z"})
    result = merge(BASE, ours, dict(BASE, status="completed"))
    assert result.merged["id"] == "local-1"
    assert result.merged["meta"]["versionId"] == "4"


values = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3))
objects = st.dictionaries(st.sampled_from(["status", "description", "priority", "note"]), values,
                          max_size=4).map(lambda d: {"resourceType": "Task", **{
                              k: v for k, v in d.items() if v is not None}})


@given(objects, objects)
def test_laws_one_sided_changes_are_taken(base, other):
    assert merge(base, other, base).merged == other  # only ours changed
    assert merge(base, base, other).merged == other  # only theirs changed
    assert merge(base, other, other).merged == other  # both the same way


@given(objects, objects, objects)
def test_laws_a_merge_never_invents_a_value(base, ours, theirs):
    result = merge(base, ours, theirs)
    if result.ok:
        for name, value in result.merged.items():
            assert value in (ours.get(name), theirs.get(name))
    else:
        for name in result.conflicts:
            assert ours.get(name) != theirs.get(name)
            assert base.get(name) not in (ours.get(name), theirs.get(name))
