"""The viewer's list order: what needs attention first (overdue deadlines, then the nearest
date; plans without any date last)."""

from datetime import date

from fhir_regie.viewer.app import PlanRow


def test_overdue_plans_come_first_then_the_nearest_date():
    rows = [PlanRow("a", "Alpha", "H", next_day=date(2026, 12, 20)),
            PlanRow("b", "Beta", "H"),
            PlanRow("c", "Gamma", "H", next_day=date(2026, 12, 1)),
            PlanRow("d", "Delta", "H", overdue=1, next_day=date(2026, 11, 15)),
            PlanRow("e", "Epsilon", "H", overdue=3, next_day=date(2026, 10, 1))]
    assert [r.plan_id for r in sorted(rows, key=lambda r: r.order)] == ["e", "d", "c", "a", "b"]
