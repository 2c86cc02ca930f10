"""Files with personal data are created with mode 0600, also over an existing file."""

from __future__ import annotations

import stat
from pathlib import Path

from fhir_regie.private_files import open_private, write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    write_private(tmp_path / "out.json", "{}\n")
    assert mode(tmp_path / "out.json") == 0o600
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == "{}\n"


def test_an_existing_file_loses_its_wider_mode_and_its_old_content(tmp_path: Path) -> None:
    target = tmp_path / "dead-letter.jsonl"
    target.write_text("oud en langer\n", encoding="utf-8")
    target.chmod(0o644)
    with open_private(target) as sink:
        sink.write("nieuw\n")
    assert mode(target) == 0o600
    assert target.read_text(encoding="utf-8") == "nieuw\n"
