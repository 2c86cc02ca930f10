"""Drop directories (fhir_regie.sync.dropdir): what counts as a complete export, its digest,
and writing one atomically."""

from __future__ import annotations

from fhir_regie.mapping.spec import load_partner
from fhir_regie.sync.dropdir import digest, export_path, exports, read_export, write_export

PARTNER = load_partner("gemeente-suite")
ROW = {"gezinssamenstelling": [], "clienten": [], "plannen": [],
       "acties": [{"actienummer": "A0000001", "status": "afgerond"}]}


def test_exports_are_complete_folders_in_name_order(tmp_path):
    for name in ("20261201T090000-0002", "20261201T080000-0001", ".20261201T100000-0003",
                 "_tmp"):
        (tmp_path / name).mkdir()
    (tmp_path / "readme.txt").write_text("not an export")
    assert [p.name for p in exports(tmp_path, PARTNER)] == ["20261201T080000-0001",
                                                            "20261201T090000-0002"]
    assert exports(tmp_path / "absent", PARTNER) == []


def test_files_for_a_json_partner(tmp_path):
    partner = load_partner("huisarts-jgz")
    (tmp_path / "b.jsonl").write_text("{}\n")
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / ".c.json").write_text("{}")
    (tmp_path / "d.csv").write_text("x")
    assert [p.name for p in exports(tmp_path, partner)] == ["a.json", "b.jsonl"]


def test_the_digest_changes_with_the_content(tmp_path):
    export = tmp_path / "e"
    export.mkdir()
    (export / "acties.csv").write_text("a;b\n1;2\n")
    first = digest(export)
    assert digest(export) == first
    (export / "acties.csv").write_text("a;b\n1;3\n")
    assert digest(export) != first


def test_an_export_is_written_under_a_dot_name_then_renamed_and_never_rewritten(tmp_path):
    path = write_export(tmp_path, PARTNER, "20261201T100000-ab", [ROW])
    assert path == export_path(tmp_path, PARTNER, "20261201T100000-ab") == \
        tmp_path / "20261201T100000-ab"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["20261201T100000-ab"]  # no leftovers
    acties = (path / "acties.csv").read_text(encoding="utf-8").splitlines()
    assert acties[0].startswith("actienummer;plannummer;omschrijving")
    assert acties[1].startswith("A0000001;;;")
    assert (path / "clienten.csv").read_text(encoding="utf-8").count("\n") == 1  # header
    other = dict(ROW, acties=[{"actienummer": "A0000002"}])
    write_export(tmp_path, PARTNER, "20261201T100000-ab", [other])  # a redone batch
    assert (path / "acties.csv").read_text(encoding="utf-8").splitlines() == acties
    # The partner's own format: the mapping layer reads it back, row by row (this one row lacks
    # what a full action row has, and is reported, not dropped).
    back = read_export(PARTNER, path)
    assert [(e.location, e.rules[0]) for e in back.errors] == [("acties.csv:row 2", "required")]


def test_a_half_written_export_of_a_killed_worker_is_replaced(tmp_path):
    (tmp_path / ".x.tmp").mkdir()
    (tmp_path / ".x.tmp" / "acties.csv").write_text("half")
    write_export(tmp_path, PARTNER, "x", [ROW])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]
