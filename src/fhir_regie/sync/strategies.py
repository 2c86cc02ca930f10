"""One strategy per partner kind: what differs between a FHIR partner and a drop directory.

The engine (:class:`~fhir_regie.sync.engine.JobRun`) runs the same steps for every job —
recover, pull, push — and asks the job's strategy for what depends on the kind of partner:

- :class:`FhirPartner`: both directions read a FHIR ``_history`` and write transactions with
  ``If-Match`` (the engine's FHIR path); what comes in is validated; an interrupted push batch
  is redone as a FHIR batch;
- :class:`DropDirectory`: the pull reads new exports from the inbox and maps them to FHIR (the
  mapping layer validates the records), then they are applied to our server like a FHIR
  partner's changes; the push makes the partner's record per household from what the consent
  guard permits and writes only its changed rows as one export per batch; an interrupted push
  batch is delivered exactly as it was decided.

Both record the row states of a batch in the batch's :class:`~fhir_regie.sync.executor.
BatchActions`, applied to the state store in one transaction.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fhir_regie.client import FhirClientError
from fhir_regie.mapping.engine import MappedRecord, iter_mapped, map_records
from fhir_regie.mapping.spec import Partner, load_partner
from fhir_regie.sync import dropdir
from fhir_regie.sync.config import FilePartner, Job
from fhir_regie.sync.executor import BatchActions
from fhir_regie.sync.keys import references, rewrite_references
from fhir_regie.sync.outbound import Permitted, store_own
from fhir_regie.sync.state import (
    DENIED,
    DONE,
    SKIPPED,
    Row,
    now_text,
    parse_instant,
    utc_instant,
)

if TYPE_CHECKING:
    from fhir_regie.sync.engine import JobRun

Resource = dict[str, Any]
Ref = tuple[str, str]
PULL, PUSH = "pull", "push"
LOCAL, PARTNER = "local", "partner"
#: Resource types a file partner's mapping makes besides the job's types: the original record
#: and its Provenance (docs/mapping.md), kept on our server.
RECORD_TYPES = ("Binary", "Provenance")


class PartnerKind:
    """What the engine asks of a kind of partner (one instance per job run)."""

    #: Resource types synchronised besides the job's ``types``.
    extra_types: tuple[str, ...] = ()
    #: Does what comes in need the validator (a mapping validates what it makes)?
    validates_inbound: bool = True

    def __init__(self, run: JobRun) -> None:
        self.run = run

    def address(self) -> str:
        """The partner's address as named in review flags."""
        raise NotImplementedError

    def pull(self) -> None:
        """Queue the partner's changes and apply them to our server."""
        raise NotImplementedError

    def push(self) -> None:
        """Send our changes to the partner, through the guard."""
        raise NotImplementedError

    def redo(self, batch: str, at: str, payload: Any, rows: Sequence[Row]) -> bool:
        """Redo a push batch a killed worker left half done; False when there is nothing to
        redo (the batch is then closed)."""
        raise NotImplementedError


class FhirPartner(PartnerKind):
    """A partner with its own FHIR server."""

    def address(self) -> str:
        assert self.run.partner is not None
        return self.run.partner.base_url

    def pull(self) -> None:
        # Read the source while the batches already read are written: the two waits are on
        # different servers.
        self.run.drain(PULL, feed=self.run.scan_steps(PULL))

    def push(self) -> None:
        self.run.drain(PUSH, feed=self.run.scan_steps(PUSH))

    def redo(self, batch: str, at: str, payload: Any,  # noqa: ARG002 (a FHIR batch is redone from its rows)
             rows: Sequence[Row]) -> bool:
        if not rows:
            return False
        self.run.fhir_batch(PUSH, rows, batch=batch, at=parse_instant(at))
        return True


class DropDirectory(PartnerKind):
    """A partner that exchanges exports in drop directories (the mapping layer's formats)."""

    extra_types = RECORD_TYPES
    validates_inbound = False

    def __init__(self, run: JobRun) -> None:
        super().__init__(run)
        self.state, self.job, self.guard = run.state, run.job, run.guard
        self.local, self.clock, self.report = run.local, run.clock, run.report
        self._mapping: Partner | None = run.given_mapping
        self.actions = BatchActions(self.job.name, PUSH)

    @property
    def types(self) -> frozenset[str]:
        return self.run.types

    @property
    def mapping(self) -> Partner:
        if self._mapping is None:
            assert isinstance(self.job.partner, FilePartner)
            self._mapping = load_partner(self.job.mapping, self.job.partner.mappings)
        return self._mapping

    def address(self) -> str:
        return self.job.name

    def pull(self) -> None:
        self._scan_exports()
        self.run.drain(PULL)

    def push(self) -> None:
        """Our changes as exports: every due row read first, then one export per batch."""
        run = self.run
        feeding = run.feed(run.scan_steps(PUSH), PUSH)
        feeding.drain()
        self.state.supersede_older(self.job.name, PUSH)
        progress = run.progress_of(PUSH)
        while rows := self.state.due(self.job.name, PUSH, at=time.time(),
                                     limit=self.job.batch):
            try:
                self._file_batch(rows)
            except FhirClientError as error:
                self._commit_actions()  # what was decided before the failure stands
                run.batch_failed(PUSH, rows, error)
            run.settle(PUSH, rows)
            progress.step(len(rows))

    def redo(self, batch: str, at: str,  # noqa: ARG002 (the payload holds the decided moment)
             payload: Any, rows: Sequence[Row]) -> bool:
        if not rows or payload is None:
            return False
        self.actions.discard()
        self._deliver(batch, payload, rows)
        return True

    def _commit_actions(self) -> None:
        applied = self.actions.apply(self.state, max_attempts=self.job.max_attempts)
        self.report.push.retried += applied.retried
        self.report.push.dead += applied.dead_after_retries

    # ------------------------------------------------------------------ pull: exports
    def _scan_exports(self) -> int:
        """Read new exports of a file partner: map each record to FHIR; queue its resources;
        remember the record as the partner has it; failed records go to the dead letter."""
        partner = self.job.partner
        assert isinstance(partner, FilePartner)
        assert partner.inbox is not None
        mapping = self.mapping
        added = 0
        for export in dropdir.exports(partner.inbox, mapping):
            digest = dropdir.digest(export)
            if self.state.export_seen(self.job.name, export.name, digest):
                continue
            at = self.clock()
            read = dropdir.read_export(mapping, export)
            changes: list[dict[str, Any]] = []
            records: list[tuple[str, Any]] = []
            with self.state.tx():
                for error in read.errors:
                    self._record_error(export.name, error)
                for result in iter_mapped(mapping, "to-fhir", read.records, at=at):
                    if not isinstance(result, MappedRecord):
                        self._record_error(export.name, result)
                        continue
                    resources = [e.resource.model_dump(mode="json", by_alias=True,
                                                       exclude_none=True)
                                 for e in result.value.entry]
                    group = next((r["id"] for r in resources if r["resourceType"] == "Group"),
                                 result.key)
                    version = f"{export.name}#{digest[:16]}"
                    stamp = now_text()
                    for resource in resources:
                        changes.append({"rtype": resource["resourceType"],
                                        "rid": resource["id"], "version": version,
                                        "last_updated": stamp, "content": resource,
                                        "grp": group})
                    records.append((group, self._partner_rows(resources, at)))
                added += self.state.enqueue(self.job.name, PULL, changes)
                for group, rows in records:
                    if rows is not None:
                        self.state.save_record(self.job.name, group, partner_rows=rows)
                self.state.mark_export(self.job.name, export.name, digest)
            self.report.exports.append(export.name)
        self.report.pull.read += added
        return added

    def _record_error(self, export: str, error: Any) -> None:
        first = error.errors[0]
        self.state.dead_letter(self.job.name, PULL, None, first.rule,
                               f"{export}: {error.one_line()}"[:500], content=error.to_dict())
        self.report.pull.dead += 1

    def _partner_rows(self, resources: Sequence[Resource], at: datetime) -> Any:
        """A record in the partner's format as the partner has it: the from-fhir map over
        the resources its export mapped to (the same path our pushes take, so the two
        compare)."""
        if "from-fhir" not in self.mapping.directions:
            return None
        bundle = {"resourceType": "Bundle", "type": "collection",
                  "entry": [{"resource": r} for r in resources
                            if r["resourceType"] not in RECORD_TYPES]}
        result = map_records(self.mapping, "from-fhir", [bundle], at=at)
        return result.outputs[0].value if result.outputs else None

    # ------------------------------------------------------------------ push: exports
    def _file_batch(self, rows: Sequence[Row]) -> None:
        """Our changes to a file partner: per household, the partner's record made from what
        the guard permits (the from-fhir map); only its rows the partner does not have yet go,
        in one export per batch. The export, its rows and the AuditEvents are decided first and
        kept with the batch, so a killed worker delivers exactly that (``_deliver``)."""
        counts = self.report.push
        at = self.clock()
        households: dict[str, list[Row]] = {}
        for row in rows:
            link = self.state.link_by_id(self.job.name, LOCAL, row.rtype, row.rid)
            if link is not None and link.local_version == row.version:
                self.actions.finish_all([row.seq], DONE, "echo")
                counts.unchanged += 1
                continue
            group = self.guard.household_of(row.content) if row.content else None
            if group is None:
                self.actions.finish_all([row.seq], SKIPPED, "not part of a household")
                counts.skipped += 1
                continue
            households.setdefault(group, []).append(row)
        outgoing: dict[str, dict[str, Any]] = {}
        covered: list[Row] = []
        decided = Permitted()
        for group, members in households.items():
            made = self._household_record(group, members, at)
            if made is None:
                continue
            record, rows_now, changed, permitted, members_left = made
            decided.decisions += permitted.decisions
            decided.copies.update(_row_sources(changed, permitted.copies))
            outgoing[record] = {"rows": rows_now, "changed": changed}
            covered += members_left
        if not outgoing:
            self._commit_actions()
            return
        batch = str(uuid.uuid4())
        stamp = utc_instant(at)
        name = stamp.replace("-", "").replace(":", "").replace(".", "") + "-" + batch[:8]
        events = self.guard.audit_events(decided, list(decided.copies), batch)
        payload = {"name": name, "records": outgoing, "events": events}
        self.state.begin_disclosure(self.job.name, batch, stamp, [r.seq for r in covered],
                                    payload)
        self._deliver(batch, payload, covered)

    def _deliver(self, batch: str, payload: dict[str, Any], rows: Sequence[Row]) -> None:
        """Write a decided file batch: the export (kept as it is if already there), the
        AuditEvents (PUT with their ids), then the bookkeeping in one transaction."""
        partner = self.job.partner
        assert isinstance(partner, FilePartner)
        assert partner.outbox is not None
        export = dropdir.write_export(partner.outbox, self.mapping, payload["name"],
                                      [r["changed"] for r in payload["records"].values()])
        store_own(self.local, payload["events"])
        with self.state.tx():
            for record, parts in payload["records"].items():
                self.state.save_record(self.job.name, record, sent_rows=parts["rows"])
            self.actions.finish_all([r.seq for r in rows], DONE, "sent")
            self._commit_actions()
            self.state.end_disclosure(batch)
        self.report.push.applied += len(rows)
        self.report.exports.append(export.name)

    def _household_record(self, group: str, members: list[Row], at: datetime
                          ) -> tuple[str, Any, Any, Permitted, list[Row]] | None:
        """(record key, the record's rows, the rows to send, the guard's decision, the rows
        covered) for one household; None when nothing goes (the rows are finished: the
        partner has it, denied, not known to the partner, or the map refused the record)."""
        counts = self.report.push
        link = self.state.link_by_id(self.job.name, LOCAL, "Group", group)
        record = link.partner_id if link and link.partner_id else None
        if self.job.push_scope == "linked" and record is None:
            self.actions.finish_all([r.seq for r in members], SKIPPED,
                              "household not known to the partner")
            counts.skipped += len(members)
            return None
        record = record or group
        if self.state.pending_group(self.job.name, PULL, record):
            # The partner's newer record is to be applied here first.
            for row in members:
                self.actions.retry(row.seq, self.job.retry_backoff, "incoming changes first")
            return None
        kept = self._partner_scope(group)
        left = []
        for row in members:
            if (row.rtype, row.rid) in kept:
                left.append(row)
            else:
                self.actions.finish_all([row.seq], SKIPPED, "not known to the partner")
                counts.skipped += 1
        known = self.state.record(self.job.name, record)
        # Nothing leaves when the partner already has the record as it is: that needs no
        # decision of the guard (and so no disclosure record).
        plain = self._render(list(kept.values()), at)
        if left and not isinstance(plain, list) and _changed_rows(plain, known) is None:
            self.actions.finish_all([r.seq for r in left], DONE, "partner has it")
            counts.unchanged += len(left)
            return None
        if not left:
            return None
        permitted = self.guard.share(list(kept.values()), at)
        for row in list(left):
            reasons = permitted.denied.get((row.rtype, row.rid))
            if reasons is not None:
                self.actions.finish_all([row.seq], DENIED, "; ".join(reasons)[:500])
                counts.denied += 1
                left.remove(row)
        rendered = self._render(list(permitted.copies.values()), at) if left else None
        if isinstance(rendered, list):
            error = rendered[0]
            if isinstance(plain, list):  # the map cannot make this record at all
                for row in left:
                    self.actions.dead_letter(row, error.errors[0].rule,
                                           error.one_line()[:500])
                    counts.dead += 1
            else:  # it can, but not from what may go: the partner's record needs more
                reason = (f"the partner's record needs what the consent guard keeps back "
                          f"({error.errors[0].rule} at {error.errors[0].path})")
                self.actions.finish_all([r.seq for r in left], DENIED, reason[:500])
                counts.denied += len(left)
            return None
        changed = _changed_rows(rendered, known) if left else None
        if changed is None:
            self.actions.finish_all([r.seq for r in left], DONE, "partner has it")
            counts.unchanged += len(left)
            return None
        return record, rendered, changed, permitted, left

    def _partner_scope(self, group: str) -> dict[Ref, Resource]:
        """A household's resources that belong in the partner's record: those linked to the
        job (scope ``linked``) or all of the job's types (``household``). A resource with an
        open conflict is represented by the partner's version until a person resolves it."""
        from fhir_regie.client.household import fetch_household

        kept: dict[Ref, Resource] = {}
        for resource in fetch_household(self.local.client, group).values():
            ref = (resource["resourceType"], resource["id"])
            if ref[0] in RECORD_TYPES or ref[0] not in self.types:
                continue
            link = self.state.link_by_id(self.job.name, LOCAL, *ref)
            if self.job.push_scope == "linked" and link is None:
                continue
            conflict = self.state.open_conflict(self.job.name, link.key) if link else None
            view = (conflict.theirs or (link.base if link else None)) if conflict else None
            if view is not None:
                ids = {r: other.local_id for r, other in self.state.links_by_ids(
                    self.job.name, PARTNER, references(view)).items() if other.local_id}
                partner_view, _ = rewrite_references(view, ids)
                kept[ref] = dict(partner_view, id=ref[1])
            else:
                kept[ref] = resource
        return kept

    def _render(self, resources: list[Resource], at: datetime) -> Any:
        """The partner's record (from-fhir map) of resources; the RecordErrors when it fails."""
        bundle = {"resourceType": "Bundle", "type": "collection",
                  "entry": [{"resource": r} for r in resources]}
        result = map_records(self.mapping, "from-fhir", [bundle], at=at)
        if result.errors:
            return result.errors
        return result.outputs[0].value


def _row_sources(changed: Any, copies: dict[Ref, Resource]) -> dict[Ref, Resource]:
    """The resources whose data goes in the changed rows of a CSV record: those whose business
    number heads a changed row (``actienummer``, ``clientnummer``, ...). What the disclosure
    record lists is what went, not the whole household. Other formats: the whole record."""
    if not (isinstance(changed, dict) and all(isinstance(v, list) for v in changed.values())):
        return copies
    heads = {next(iter(row.values()), None) for rows in changed.values() for row in rows
             if isinstance(row, dict) and row}
    found = {ref: r for ref, r in copies.items()
             if any(i.get("value") in heads for i in r.get("identifier") or [])}
    return found or copies


def _row_sets(record: Any) -> dict[str, list[str]]:
    """A rendered CSV record as {table: [canonical row text]}; other formats as one item."""
    if isinstance(record, dict) and all(isinstance(v, list) for v in record.values()):
        return {table: [json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows]
                for table, rows in record.items()}
    return {"": [json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)]}


def _changed_rows(now: Any, known: Any) -> Any:
    """The rows of a record the partner does not have as they are (None when none): a CSV
    partner gets changed rows only (its importer upserts them); other formats the whole record
    when anything differs."""
    if known is None:
        return now
    if not (isinstance(now, dict) and all(isinstance(v, list) for v in now.values())):
        return None if json.dumps(now, sort_keys=True, default=str) == json.dumps(
            known, sort_keys=True, default=str) else now
    have = _row_sets(known)
    changed = {table: [row for row in rows
                       if json.dumps(row, sort_keys=True, ensure_ascii=False)
                       not in set(have.get(table, []))]
               for table, rows in now.items()}
    return changed if any(changed.values()) else None


def strategy_for(job: Job) -> type[PartnerKind]:
    """The strategy of a job's kind of partner."""
    return DropDirectory if isinstance(job.partner, FilePartner) else FhirPartner
