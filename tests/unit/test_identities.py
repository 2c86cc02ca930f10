"""The test identities (tests/identities.py): valid, and never the same twice in a run."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from tests import identities
from tests.identities import STEMS, BsnGenerator, Numbers, check_digit, is_valid_bsn


def assert_distinct_valid_bsns(draws: Iterable[str], expected: int) -> None:
    """The check the generator must pass: every draw a valid test BSN, none twice."""
    values = list(draws)
    assert len(values) == expected
    invalid = [v for v in values
               if not (is_valid_bsn(v) and v.startswith("99") and v < "999990000")]
    assert invalid == []
    assert len(set(values)) == expected, f"{expected - len(set(values))} repeated"


def test_the_eleven_check_knows_valid_and_invalid_numbers() -> None:
    for valid in ("999990007", "999990019", "123456782", "999990408"):
        assert is_valid_bsn(valid)
    for invalid in ("999990008", "123456789", "99999000", "9999900070", "99999000a", ""):
        assert not is_valid_bsn(invalid)


def test_a_check_digit_is_found_for_ten_in_eleven_stems() -> None:
    assert check_digit("12345678") == 2
    assert check_digit("99999000") == 7
    found = [check_digit(f"99{stem:06d}") for stem in range(11_000)]
    assert all(is_valid_bsn(f"99{stem:06d}{d}") for stem, d in enumerate(found) if d is not None)
    assert 9_800 < sum(d is not None for d in found) < 10_200   # about ten in eleven


def test_100000_draws_are_all_distinct_and_pass_the_eleven_check() -> None:
    generator = BsnGenerator(start=123_456)
    assert_distinct_valid_bsns((generator() for _ in range(100_000)), 100_000)


def test_the_walk_wraps_around_the_end_of_the_range_without_repeating() -> None:
    generator = BsnGenerator(start=STEMS - 50)
    draws = [generator() for _ in range(200)]
    assert_distinct_valid_bsns(draws, 200)
    assert draws[0].startswith("9999895")
    assert draws[-1].startswith("9900")


def test_the_check_fails_when_a_number_repeats() -> None:
    generator = BsnGenerator(start=0)
    draws = [generator() for _ in range(999)]
    with pytest.raises(AssertionError, match="1 repeated"):
        assert_distinct_valid_bsns([*draws, draws[500]], 1000)
    with pytest.raises(AssertionError):
        assert_distinct_valid_bsns([*draws, "999990008"], 1000)   # fails the eleven-check


def test_the_runs_generator_gives_distinct_valid_numbers() -> None:
    assert_distinct_valid_bsns((identities.bsn() for _ in range(1_000)), 1_000)


def test_numbers_are_distinct_and_refuse_when_used_up() -> None:
    numbers = Numbers(10, start=7)
    assert [numbers() for _ in range(10)] == [7, 8, 9, 0, 1, 2, 3, 4, 5, 6]
    with pytest.raises(RuntimeError, match="used up"):
        numbers()


def test_tags_and_systems_carry_the_run_and_never_repeat() -> None:
    tags = [identities.tag("s") for _ in range(1_000)]
    systems = [identities.system("action") for _ in range(1_000)]
    assert len(set(tags)) == len(set(systems)) == 1_000
    assert all(t.startswith(f"s{identities.RUN}-") for t in tags)
    assert all(f"-{identities.RUN}-" in s for s in systems)
    assert identities.header().startswith(f"test identities: run {identities.RUN} ")


def test_fresh_bsns_replaces_each_number_consistently() -> None:
    bsn = identities.BSN_SYSTEM
    resources = [{"resourceType": "Patient", "id": "a",
                  "identifier": [{"system": bsn, "value": "999990408"},
                                 {"system": "urn:other", "value": "999990408"}]},
                 {"resourceType": "Patient", "id": "b",
                  "identifier": [{"system": bsn, "value": "999990408"}]},
                 {"resourceType": "Patient", "id": "c",
                  "identifier": [{"system": bsn, "value": "999990421"}]}]
    fresh = identities.fresh_bsns(resources)
    a, b, c = (r["identifier"][0]["value"] for r in fresh)
    assert a == b != c
    assert a != "999990408"
    assert is_valid_bsn(a)
    assert is_valid_bsn(c)
    assert fresh[0]["identifier"][1]["value"] == "999990408"   # another system: untouched
    assert resources[0]["identifier"][0]["value"] == "999990408"   # the input is not changed
