"""Mutation sweep over the consent rules (issues 5, 17): each rule is disabled once, in place, and the
consent tests must fail each time. The file is restored after every run. Prints killed/SURVIVED
per rule; exit 1 when a mutant survives (or a rule's code moved and the pattern is gone).

    .venv/bin/python tools/mutate_consent.py [--only NAME ...]
"""

# ruff: noqa: E501 -- the mutants quote the rules' code lines exactly, at their own length
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
C = "src/fhir_regie/consent/"
# The fast, rule-by-rule tests first (pytest collects each file once), then the rest.
TESTS = ["tests/unit/consent/test_project.py", "tests/unit/consent/test_redact.py",
         "tests/unit/consent/test_rules.py", "tests/unit/consent/test_guard.py",
         "tests/unit/consent", "tests/unit/test_cli.py"]
# (rule, file, code that enforces it, code without it)
MUTANTS = [
 ("revoked", C+"consents.py", 'if self.status == "inactive":', 'if False:'),
 ("not active", C+"consents.py", 'if self.status != "active":', 'if self.status not in ("active", "draft", "proposed", "rejected", "entered-in-error"):'),
 ("not yet given", C+"consents.py", 'if self.given is None or self.given > at:', 'if False:'),
 ("period", C+"consents.py", 'if not _within(self.permit.period, at):', 'if False:'),
 ("performer", C+"consents.py", 'problem = performer_problem(self.patient, self.performers, parties, at)', 'problem = None'),
 ("recipient match", C+"consents.py", 'if not self.permit.names_recipient(request, parties):', 'if False:'),
 ("purpose match", C+"consents.py", 'if request.purpose not in self.permit.purposes:', 'if False:'),
 ("deny actor", C+"consents.py", 'if deny.actors and not deny.names_recipient(request, parties):', 'if False:'),
 ("deny purpose", C+"consents.py", 'if deny.purposes and request.purpose not in deny.purposes:', 'if False:'),
 ("deny data period", C+"consents.py", '''            if deny.data_period is not None and data_date is not None and \\
                    not _within(deny.data_period, data_date):
                continue''', ''),
 ("data period", C+"consents.py", 'return data_date is not None and _within(self.permit.data_period, data_date)', 'return True'),
 ("under 12", C+"authority.py", '''        if given & parties.parents_with_authority(patient, at):
            return None
        return f"the client is {age}: a parent with authority must consent"''', '''        return None'''),
 ("12-15 both", C+"authority.py", 'if patient in given and given & parties.parents_with_authority(patient, at):', 'if patient in given or given & parties.parents_with_authority(patient, at):'),
 ("16 alone", C+"authority.py", '''    if patient in given:
        return None
    if age >= ADULT''', '''    if given:
        return None
    if age >= ADULT'''),
 ("representative", C+"authority.py", 'if age >= ADULT and given & parties.representatives.get(patient, frozenset()):', 'if False:'),
 ("justification", C+"legal.py", 'if not claim.justification.strip():', 'if False:'),
 ("not informed reason", C+"legal.py", 'if not claim.inform_household and not claim.not_informed_reason.strip():', 'if False:'),
 ("claim purpose", C+"legal.py", 'if request.purpose not in rule.purposes:', 'if False:'),
 ("claim recipient", C+"legal.py", '''        if kind not in rule.recipient_kinds and not (CARE_TEAM in rule.recipient_kinds
                                                     and in_team):''', '''        if False:'''),
 ("court named", C+"legal.py", 'elif request.recipient not in claim.named_recipients:', 'elif False:'),
 ("discloser kind", C+"legal.py", 'if rule.discloser_kinds and discloser not in rule.discloser_kinds:', 'if False:'),
 ("direction", C+"legal.py", 'if rule.directions and (discloser, recipient) not in rule.directions:', 'if False:'),
 ("class coverage", C+"decision.py", 'missing = sorted(required - consent.permit.classes)', 'missing = []'),
 ("deny beats permit", C+"decision.py", 'if ALL in denied or required & denied:', 'if False:'),
 ("label coverage", C+"decision.py", '''    open_labels = uncovered(labels, consent.permit.labels)
    if open_labels:
        return f"{consent.reference} does not cover the label''', '''    open_labels = uncovered(labels, consent.permit.labels)
    if False:
        return f"{consent.reference} does not cover the label'''),
 ("reporter identity", C+"decision.py", '''elif part.data_class == "reporter-identity" and not _reporter_may_be_named(''', '''elif False and not _reporter_may_be_named('''),
 ("adversary", C+"decision.py", '''    if ctx.adversary:
        found += _shield(resource, present, ctx)''', ''),
 ("anonymise", C+"decision.py", '''        found.append(Obligation(ANONYMISE, "anonymous advice: no identifying data"))''', '''        pass'''),
 ("inform household", C+"decision.py", 'if basis.consent is None and claim is not None and claim.inform_household:', 'if False:'),
 ("legal excluded classes", C+"decision.py", '''    excluded = sorted(required & LEGAL_BASES[basis].excluded_classes)
    if excluded:''', '''    excluded = sorted(required & LEGAL_BASES[basis].excluded_classes)
    if False:'''),
 # The projection per audience (issue 17): project.py applies projections.py.
 ("element allow-list", C+"project.py", 'sub = True if full else tree.get(name)', 'sub = True'),
 ("listed types only", C+"project.py", 'tree = self.trees.get(kind) if isinstance(kind, str) else None', 'tree = self.trees.get(kind, True) if isinstance(kind, str) else None'),
 ("extension URLs", C+"project.py", 'listed = isinstance(url, str) and url in self.extensions', 'listed = isinstance(url, str)'),
 ("known codes", C+"project.py", 'if not isinstance(system, str) or code not in self.codes.get(system, ()):', 'if not isinstance(system, str):'),
 ("guide's display", C+"project.py", 'shown = self.displays.get(system, {}).get(code)', 'shown = display'),
 ("attachments", C+"project.py", 'if kind == ATTACHMENT and not self.attachments:', 'if False:'),
 ("free text placeholder", C+"project.py", '''        elif kind == FREE:
            if walk.marked:''', '''        elif kind == FREE:
            if True:'''),
 ("identifier form", C+"project.py", 'form = data.IDENTIFIER_SYSTEMS.get(system) if isinstance(system, str) else None', 'form = "digits"'),
 ("reference display", C+"project.py", '"Reference.display": DISPLAY,', '"Reference.display": NAME,'),
 ("scrub in the walk", C+"project.py", 'text = scrubber.sub if scrubber is not None else None', 'text = None'),
 ("scrub in the lean copy", C+"project.py", 'out[key] = item if sub is None else sub(item)', 'out[key] = item'),
 ("adversary audience", C+"decision.py", 'PERPETRATOR_CARE if context.adversary else PROFESSIONAL)', 'PROFESSIONAL)'),
 ("household with perpetrator", C+"decision.py", 'audience = HOUSEHOLD_WITH_PERPETRATOR if ctx.adversary else HOUSEHOLD_AUDIENCE', 'audience = HOUSEHOLD_AUDIENCE'),
 ("withheld paths recorded", C+"guard.py", 'found += [Redaction(path, PROJECTED) for path in projected if path not in cut]', 'pass'),
 ("shielded whereabouts", C+"guard.py", '        terms |= shielded_terms(everyone, decision.shielded)\n', ''),
 # Scrubbing on normalised text, the second line of defence (redact.py).
 ("phone digits", C+"redact.py", '        found.add(digits)\n', ''),
 ("street name alone", C+"redact.py", '        found.add(street.group(1).strip())', '        pass'),
 ("separators", C+"redact.py", 'gap = "" if first or not gaps else _SEPARATOR + "*"', 'gap = ""'),
 ("base64", C+"redact.py", 'return any(self._in_base64(m.group()) for m in _PADDED_BASE64.finditer(text))', 'return False'),
 ("base64 candidates", C+"redact.py", 'f"(?<![{_B64}._-])(?:[{_B64}]{{4}}){{4,}}"', 'f"(?<![{_B64}._-])(?:[{_B64}]{{4}}){{40,}}"'),
]


def main() -> int:
    # --only NAME... runs the named mutants alone (the whole sweep takes long on 2 cores).
    only = sys.argv[sys.argv.index("--only") + 1:] if "--only" in sys.argv else []
    chosen = [m for m in MUTANTS if not only or m[0] in only]
    survivors = []
    for name, rel, old, new in chosen:
        path = ROOT / rel
        text = path.read_text(encoding="utf-8")
        if text.count(old) != 1:
            print(f"MOVED    {name}: the pattern occurs {text.count(old)} times")
            survivors.append(name)
            continue
        path.write_text(text.replace(old, new), encoding="utf-8")
        try:
            run = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p",
                                  "no:cacheprovider", *TESTS], cwd=ROOT, capture_output=True,
                                 text=True, check=False)
        finally:
            path.write_text(text, encoding="utf-8")
        killed = run.returncode != 0
        print(f"{'killed  ' if killed else 'SURVIVED'} {name}", flush=True)
        if not killed:
            survivors.append(name)
    print(f"{len(chosen) - len(survivors)} of {len(chosen)} mutants killed"
          + (f"; survivors: {', '.join(survivors)}" if survivors else ""))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
