"""Round-trip laws (hypothesis) for the two-way partners: a valid partner record, written in the
partner's own format, reads back unchanged, maps to FHIR that passes our profiles, and maps back
equal on every field the partner's metadata declares lossless.

The generators reach: empty optional fields (absent), non-breaking spaces inside text,
diacritics (Özdemir, Çelik, Ĳsselstein), very long text, dates at year boundaries, and local
times around the summer-time changes (the ambiguous 2026-10-25 02:30; the nonexistent
2026-03-29 02:30 has its own law: the record fails with datetime-nonexistent)."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhir_regie.mapping.engine import map_records
from fhir_regie.mapping.lossless import lossless_differences
from fhir_regie.mapping.readers import read_csv_tables, read_xml
from fhir_regie.mapping.schema import write_value
from fhir_regie.mapping.spec import load_partner
from fhir_regie.mapping.writers import write_csv_tables, write_xml
from fhir_regie.validation import validate_resource
from fhir_regie.validation.outcome import error_count

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
GS = load_partner("gemeente-suite")
VT = load_partner("vt-registratie")
SETTINGS = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

NAMES = ["Özdemir", "Çelik", "Ĳsselstein", "de Vries", "Jan\u00a0Willem", "Zoë", "Łukasz",
         "O'Brien", "Nguyễn", 'Anne "Ans"', "van;der;Berg"]
# what a partner system may hold: letters with diacritics, punctuation, the delimiter, quotes,
# non-breaking spaces inside; no line breaks (these tables have no multi-line fields)
ALPHABET = string.ascii_letters + string.digits + " .,;:'\"-()/&éëïöüçğşıĳ\u00a0ÖÇ"


def _clean(text: str) -> str | None:
    stripped = text.strip()
    return stripped or None


short_texts = st.one_of(st.sampled_from(NAMES),
                        st.text(ALPHABET, min_size=1, max_size=40)).map(_clean).filter(bool)
# very long text for the fields without a length limit (descriptions, report content)
texts = st.one_of(short_texts, st.builds(lambda t, n: (t + " ") * n, st.sampled_from(NAMES),
                                         st.integers(100, 400)).map(_clean))
optional_texts = st.one_of(st.just(None), st.just(""), st.just("\u00a0"), short_texts).map(
    lambda t: _clean(t) if t else None)
EDGE_DATES = [date(2025, 12, 31), date(2026, 1, 1), date(2026, 3, 29), date(2026, 10, 25),
              date(1941, 12, 31), date(2000, 2, 29)]
dates = st.one_of(st.sampled_from(EDGE_DATES),
                  st.dates(date(1920, 1, 1), date(2060, 12, 31))).map(date.isoformat)
EDGE_TIMES = [datetime(2025, 12, 31, 23, 59), datetime(2026, 1, 1, 0, 0),
              datetime(2026, 3, 29, 1, 59), datetime(2026, 3, 29, 3, 0),
              datetime(2026, 10, 25, 2, 30), datetime(2026, 10, 25, 1, 59),
              datetime(2026, 10, 25, 3, 0)]


def _typed_datetime(wall: datetime) -> str | None:
    try:
        return GS.clock.aware(wall.replace(second=0, microsecond=0)).isoformat()
    except ValueError:
        return None


datetimes = st.one_of(st.sampled_from(EDGE_TIMES),
                      st.datetimes(datetime(1990, 1, 1), datetime(2040, 12, 31))).map(
    _typed_datetime).filter(bool)


def _bsn(digits: list[int]) -> str | None:
    check = sum(d * (9 - i) for i, d in enumerate(digits)) % 11
    return "".join(map(str, digits)) + str(check) if check < 10 else None


bsns = st.lists(st.integers(0, 9), min_size=8, max_size=8).map(_bsn).filter(bool)


def _drop_none(row: dict) -> dict:
    return {k: v for k, v in row.items() if v is not None}


@st.composite
def households(draw):
    number = draw(st.integers(0, 99999))
    hh = f"H{number:05d}"
    name = draw(short_texts)
    size = draw(st.integers(1, 3))
    client_numbers = [f"C{number:05d}{i}" for i in range(size)]
    members, clients = [], []
    for index, client in enumerate(client_numbers):
        members.append(_drop_none({
            "huishoudnummer": hh, "huishoudnaam": name, "clientnummer": client,
            "rol": draw(st.sampled_from(["ouder", "kind", "partner", "grootouder",
                                         "verzorger", "overig"])),
            "kwetsbaar": draw(st.booleans()), "vanaf": draw(st.none() | dates)}))
        clients.append(_drop_none({
            "clientnummer": client, "bsn": draw(st.none() | bsns),
            "voornaam": draw(optional_texts), "tussenvoegsel": draw(
                st.sampled_from([None, "van", "de", "van den", "ten"])),
            "achternaam": draw(short_texts), "geboortedatum": draw(dates),
            "geslacht": draw(st.sampled_from([None, "M", "V", "X", "O"])),
            "telefoon": draw(st.sampled_from([None, "06-12345678", "+31 26 351 2345"])),
            "email": draw(st.sampled_from([None, "naam@example.nl"])), **(
                {"voornaam": None} if index > 5 else {})}))
    plans, actions = [], []
    for p in range(draw(st.integers(0, 2))):
        plan = f"P{number % 10000:04d}{p:02d}"
        casus = draw(st.none() | st.sampled_from(["MW0388", "MW0412", "MW1000"]))
        plans.append(_drop_none({
            "plannummer": plan, "huishoudnummer": hh, "titel": draw(texts),
            "fase": draw(st.sampled_from(GS.table("plannen").schema.field("fase").values)),
            "status": draw(st.sampled_from(["concept", "actief", "gepauzeerd", "afgerond",
                                            "ingetrokken"])),
            "startdatum": draw(st.none() | dates), "volgend_overleg": draw(st.none() | datetimes),
            "procesregisseur": "MW0412", "procesregisseur_naam": "Fatima el Amrani",
            "casusregisseur": casus,
            "casusregisseur_naam": {"MW0388": "Jeroen Hoekstra", "MW0412": "Fatima el Amrani",
                                    "MW1000": "Ĳsbrand Çelik"}.get(casus)}))
        for a in range(draw(st.integers(0, 3))):
            status = draw(st.sampled_from(["open", "gestart", "gepauzeerd", "afgerond",
                                           "vervallen"]))
            owner_kind = draw(st.sampled_from(["client", "medewerker"]))
            reason = draw(short_texts) if status in ("gepauzeerd", "vervallen") else draw(
                optional_texts)
            actions.append(_drop_none({
                "actienummer": f"A{number:05d}{p}{a}", "plannummer": plan,
                "omschrijving": draw(texts), "eigenaar_soort": owner_kind,
                "eigenaar": draw(st.sampled_from(client_numbers)) if owner_kind == "client"
                else draw(st.sampled_from(["MW0412", "MW0777"])),
                "deadline": draw(dates), "status": status, "reden": reason,
                "leefgebied": draw(st.none() | st.sampled_from(
                    GS.table("acties").schema.field("leefgebied").values)),
                "gewijzigd_op": draw(st.none() | datetimes)}))
    return {"huishoudnummer": hh, "gezinssamenstelling": members, "clienten": clients,
            "plannen": plans, "acties": actions}


def _render_tables(record: dict) -> dict:
    errors: list = []
    rendered = {t.name: [write_value(row, t.schema, t.name, GS.clock, errors)
                         for row in record[t.name]] for t in GS.tables}
    assert errors == []
    return rendered


def _read_back_gs(records: list) -> list:
    texts_ = write_csv_tables(GS, records)
    read = read_csv_tables(GS, texts_)
    assert read.errors == [], [e.one_line() for e in read.errors]
    return [r.data for r in read.records]


@SETTINGS
@given(households())
def test_gemeente_suite_csv_to_fhir_and_back_is_lossless(record):
    [read] = _read_back_gs([_render_tables(record)])
    assert read == record  # the partner format itself loses nothing
    to_fhir = map_records(GS, "to-fhir", [record], at=AT)
    assert to_fhir.errors == [], [e.one_line() for e in to_fhir.errors]
    bundle = to_fhir.outputs[0].value.model_dump(mode="json", exclude_none=True)
    assert to_fhir.outputs[0].data == bundle  # what the engine validated is what it emits
    assert error_count(validate_resource(bundle)) == 0
    back = map_records(GS, "from-fhir", [bundle], at=AT)
    assert back.errors == [], [e.one_line() for e in back.errors]
    [again] = _read_back_gs([back.outputs[0].value])
    assert lossless_differences(GS, record, again) == []


@SETTINGS
@given(households(), st.sampled_from(["gestart", "afgerond", "vervallen", "gepauzeerd"]))
def test_action_status_changes_flow_both_ways(record, new_status):
    if not record["acties"]:
        return
    bundle = map_records(GS, "to-fhir", [record], at=AT).outputs[0].value.model_dump(
        mode="json", exclude_none=True)
    fhir_status = {"gestart": "in-progress", "afgerond": "completed",
                   "vervallen": "cancelled", "gepauzeerd": "on-hold"}[new_status]
    for entry in bundle["entry"]:
        task = entry["resource"]
        if task["resourceType"] == "Task":
            task["status"] = fhir_status
            task["statusReason"] = {"text": "Gewijzigd door het lokale team"}
    back = map_records(GS, "from-fhir", [bundle], at=AT)
    assert back.errors == []
    assert {row["status"] for row in back.outputs[0].value["acties"]} == {new_status}
    # and the other way: the partner's status lands on the Task
    changed = {**record, "acties": [{**a, "status": new_status, "reden": "Nieuwe reden"}
                                    for a in record["acties"]]}
    out = map_records(GS, "to-fhir", [changed], at=AT).outputs[0].value
    assert {e.resource.status for e in out.entry
            if e.resource.get_resource_type() == "Task"} == {fhir_status}


@st.composite
def registrations(draw):
    number = draw(st.integers(0, 99999))
    route = draw(st.sampled_from(["direct", "na-vv", "na-onderzoek"]))
    size = draw(st.integers(1, 3))
    persons = [_drop_none({
        "id": f"P{i + 1}", "bsn": draw(st.none() | bsns), "voornaam": draw(optional_texts),
        "achternaam": draw(texts), "geboortedatum": draw(dates),
        "geslacht": draw(st.sampled_from([None, "M", "V", "X", "O"])),
        "rol": draw(st.sampled_from(["ouder", "kind", "partner", "grootouder", "verzorger",
                                     "overig"])),
        "kwetsbaar": draw(st.booleans()), "pleger": draw(st.booleans())})
        for i in range(size)]
    anonymous = draw(st.booleans())
    service = route != "direct"
    conditions = [{"nummer": i + 1, "omschrijving": draw(texts), "termijn": draw(dates),
                   "consequentie": draw(texts)}
                  for i in range(draw(st.integers(1 if service else 0, 3)))]
    record = {
        "dossiernummer": f"VTGM-2026-{number:05d}",
        "vestiging": {"naam": "Veilig Thuis Gelderland-Midden", "ura": "90001231"},
        "melding": _drop_none({"ontvangen": draw(datetimes),
                               "soort": draw(st.sampled_from(["melding", "hermelding"])),
                               "meldcodestap": draw(st.none() | st.integers(0, 6)),
                               "inhoud": draw(texts)}),
        "melder": {"anoniem": True} if anonymous else _drop_none({
            "anoniem": False, "naam": draw(texts), "functie": draw(optional_texts),
            "organisatie": draw(optional_texts), "telefoon": "026-4451230"}),
        "huishouden": {"naam": draw(texts), "personen": persons},
        "veiligheidsbeoordeling": _drop_none({
            "datum": draw(datetimes),
            "onveiligheid": draw(st.sampled_from([None, ["acuut"], ["structureel"],
                                                  ["acuut", "structureel"]])),
            "casuszwaarte": draw(st.sampled_from(["licht", "middelzwaar", "zwaar"])),
            "toelichting": draw(texts)}),
        "besluit": _drop_none({
            "datum": draw(datetimes), "vervolg": "lokaal-team", "route": route,
            "dienst": {"direct": None, "na-vv": "vv", "na-onderzoek": "onderzoek"}[route],
            "oordeel": draw(st.sampled_from(["vastgesteld", "niet-vastgesteld"]))
            if route == "na-onderzoek" else None,
            "overdrachtAan": {"code": "WT-ARN-ZUID", "naam": draw(texts)}}),
    }
    if conditions:
        record["veiligheidsvoorwaarden"] = conditions
    if service:
        record["monitoring"] = [_drop_none({"moment": "3 maanden", "datum": draw(dates),
                                            "omschrijving": draw(optional_texts)})]
    return record


@SETTINGS
@given(registrations())
def test_vt_registration_to_handover_and_feedback_keeps_the_declared_fields(record):
    errors: list = []
    rendered = write_value(record, VT.record, "", VT.clock, errors)
    assert errors == []
    read = read_xml(VT, write_xml(VT, [rendered], direction="to-fhir"))
    assert read.errors == [], [e.one_line() for e in read.errors]
    assert read.records[0].data == record
    to_fhir = map_records(VT, "to-fhir", read.records, at=AT)
    assert to_fhir.errors == [], [e.one_line() for e in to_fhir.errors]
    bundle = to_fhir.outputs[0].value.model_dump(mode="json", exclude_none=True)
    assert to_fhir.outputs[0].data == bundle  # what the engine validated is what it emits
    assert error_count(validate_resource(bundle)) == 0
    back = map_records(VT, "from-fhir", [bundle], at=AT)
    assert back.errors == [], [e.one_line() for e in back.errors]
    feedback_xml = write_xml(VT, [back.outputs[0].value])
    # read the feedback as VT would, with the feedback schema
    errors = []
    from defusedxml import ElementTree

    from fhir_regie.mapping.readers import _xml_data
    from fhir_regie.mapping.schema import read_value
    element = ElementTree.fromstring(feedback_xml).find("terugkoppeling")
    feedback = read_value(_xml_data(element, VT.out_record), VT.out_record, "", VT.clock, errors)
    assert errors == []
    assert lossless_differences(VT, record, feedback) == []


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 59), st.sampled_from(["03-2026", "03-2027", "03-2030"]))
def test_a_local_time_in_the_spring_gap_always_fails_the_record(minute, month_year):
    day = {"03-2026": 29, "03-2027": 28, "03-2030": 31}[month_year]
    errors: list = []
    spec = VT.record.field("melding").field("ontvangen")
    from fhir_regie.mapping.schema import read_value
    assert read_value(f"{day}-{month_year} 02:{minute:02d}", spec, "x", VT.clock, errors) is None
    assert [e.rule for e in errors] == ["datetime-nonexistent"]


def test_ambiguous_autumn_time_reads_as_summer_time_and_writes_back_the_same():
    spec = GS.table("plannen").schema.field("volgend_overleg")
    errors: list = []
    from fhir_regie.mapping.schema import read_value
    typed = read_value("25-10-2026 02:30", spec, "x", GS.clock, errors)
    assert typed == "2026-10-25T02:30:00+02:00"
    assert write_value(typed, spec, "x", GS.clock, errors) == "25-10-2026 02:30"
    # the second 02:30 (winter time) is an hour later in real time but looks the same
    later = datetime.fromisoformat(typed) + timedelta(hours=1)
    assert write_value(later.isoformat(), spec, "x", GS.clock, errors) == "25-10-2026 02:30"
    assert errors == []


def test_padding_and_non_breaking_spaces():
    spec = GS.table("clienten").schema.field("voornaam")
    errors: list = []
    from fhir_regie.mapping.schema import read_value
    assert read_value(" \u00a0Jan\u00a0Willem\u00a0 ", spec, "x", GS.clock, errors) == \
        "Jan\u00a0Willem"
    assert read_value("\u00a0", spec, "x", GS.clock, errors) is None  # empty is absent
    assert errors == []


def _strings(record: dict) -> list[str]:
    return [v for table in ("gezinssamenstelling", "clienten", "plannen", "acties")
            for row in record[table] for v in row.values() if isinstance(v, str)]


REACH = {
    "non-breaking space inside a text": lambda r: any("\u00a0" in s.strip()
                                                      for s in _strings(r)),
    "diacritics (Özdemir, Çelik, Ĳsselstein)": lambda r: any(
        n in s for s in _strings(r) for n in ("Özdemir", "Çelik", "Ĳsselstein")),
    "very long text": lambda r: any(len(s) > 1000 for s in _strings(r)),
    "a missing optional field": lambda r: any("voornaam" not in c for c in r["clienten"]),
    "a date at a year boundary": lambda r: any(s.endswith(("-12-31", "-01-01"))
                                               for s in _strings(r)),
    "a time in the autumn summer-time change": lambda r: any(
        s.startswith("2026-10-25T02:30") for s in _strings(r)),
}


def test_the_household_generator_reaches_every_required_edge_case():
    # The laws above hold only as far as their generator reaches; find() proves each edge
    # case is produced (it raises NoSuchExample when it is not within its search budget).
    from hypothesis import Phase, find

    for name, predicate in REACH.items():
        found = find(households(), predicate,
                     settings=settings(max_examples=2000, database=None, deadline=None,
                                       phases=[Phase.generate],  # found is enough; no shrink
                                       suppress_health_check=list(HealthCheck)))
        assert predicate(found), name
