"""The commit job's work: every staged row written in one transaction, then the search
tokens of what it wrote."""

import contextlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.bulk import insert_rows, large_writes, next_ids, pipelined, rows_by
from shanghui.core.cache_versions import bump
from shanghui.core.jobs import job_progress
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.members.imports.checker import oldest_by_phone
from shanghui.members.imports.staging import drop_staged, read_staged
from shanghui.members.imports.states import ImportSuperseded, owned
from shanghui.members.models import Member, MemberImport, MemberStatusChange, Person, Representative
from shanghui.members.search_index import search_index_backlog, search_index_pending
from shanghui.members.selectors import MEMBERS_VERSION
from shanghui.members.services.members import member_search_fields, person_search_fields
from shanghui.members.services.policy import member_nos_next

COMMIT_BATCH = 1000  # staged rows written at a time (all inside the one transaction)


class ImportConflict(ValidationError):
    pass


@dataclass(frozen=True)
class Committed:
    """What a commit wrote: the members and the new people. Where their keys start is kept
    on the import (``keys_after``)."""

    members: int
    people: int


def commit_rows(*, member_import: MemberImport, job: Job) -> Committed:
    """Creates every staged member in one transaction: members, people, representatives and a
    first status step (reason 导入), numbering members the file leaves unnumbered by the
    association's pattern. Anything that fails rolls all of it back (the caller records why).
    Streams the staged rows in batches."""
    association = member_import.association
    with tenant_context(association):
        job_progress(job, done=0, total=member_import.valid_rows)
    try:
        with tenant_context(association), transaction.atomic(), large_writes():
            writer = _Writer(association, actor=job.owner, capacity=member_import.valid_rows)
            with pipelined():
                # The numbers the file gives first, so that a generated number never takes
                # one; the file is read a second time only when some row leaves the number
                # to the pattern.
                unnumbered = 0
                for batch in read_staged(member_import, COMMIT_BATCH):
                    rows = [r for r in batch if r["member"]["member_no"]]
                    unnumbered += len(batch) - len(rows)
                    if rows:
                        writer.write(rows)
                if unnumbered:
                    for batch in read_staged(member_import, COMMIT_BATCH):
                        rows = [r for r in batch if not r["member"]["member_no"]]
                        if rows:
                            writer.write(rows)
            message = _("已导入 %(count)d 位会员") % {"count": writer.created}
            if not owned(member_import, job, MemberImport.Status.IMPORTING).update(
                status=MemberImport.Status.DONE,
                created_count=writer.created,
                finished_at=timezone.now(),
                message=message,
                # Where the search index of its rows starts (``import_backlog``).
                column_mapping={**member_import.column_mapping, "keys_after": writer.keys_after},
            ):
                raise ImportSuperseded  # rolls the members back
            bump(association.pk, MEMBERS_VERSION)
            member_import.refresh_from_db()
            # With the members: should the job stop while indexing, this is what it says.
            job_progress(
                job,
                done=writer.created,
                total=writer.created,
                message=_("已导入 %(count)d 位会员，正在建立搜索索引") % {"count": writer.created},
            )
            audit(
                actor=job.owner,
                action="member_import.commit",
                association=association,
                target=member_import,
                summary=member_import.message,
                data={"created": writer.created},
            )
    except DatabaseError:
        # Credit codes and member numbers taken since validation (another clerk, another
        # import): the database refused them; say which rows, not a bare constraint error.
        # (Any database error: on Citus a key refused while the rows are copied into a shard
        # arrives as an InternalError, without its SQLSTATE. Nothing taken: raised as it is.)
        with tenant_context(association):
            _check_still_free(association, member_import)
        raise
    with contextlib.suppress(OSError):  # a leftover staging file is harmless
        drop_staged(member_import)
    return Committed(members=writer.created, people=writer.people_created)


def _keys_after(member_import: MemberImport) -> dict[type[Model], int]:
    after = member_import.column_mapping.get("keys_after") or {}
    return {Member: int(after.get("member", 0)), Person: int(after.get("person", 0))}


def import_backlog(member_import: MemberImport) -> int:
    """How many of the members and people a done import wrote (or added after them) still
    wait for their search tokens. Callers hold the tenant scope."""
    return search_index_backlog(
        association=member_import.association, after=_keys_after(member_import)
    )


def index_rows(*, member_import: MemberImport, job: Job, committed: Committed) -> None:
    """After the commit: the search tokens of the members and people it created (and of any
    row of the association added after them still without tokens; older ones are left to
    the daily run), in short transactions; the job's progress bar counts them."""
    total = committed.members + committed.people
    job_progress(job, done=0, total=total)
    # Outside any transaction: each chunk of the index commits on its own, and so does each
    # progress update.
    search_index_pending(
        association=member_import.association,
        progress=lambda done: job_progress(job, done=done, total=max(done, total)),
        after=_keys_after(member_import),
    )


class _Writer:
    """Writes staged rows batch by batch inside the commit's transaction, remembering the
    people it has met (by phone) so that one person represents all their members. The keys
    of new members and people are reserved up front (``next_ids``): nothing written is read
    back, and on PostgreSQL the writes of one batch go on while the next is prepared."""

    def __init__(self, association: Association, *, actor: User, capacity: int) -> None:
        self.association = association
        self.actor = actor
        self.today = timezone.localdate()
        self.people: dict[str, int] = {}  # phone → Person id
        self.created = self.people_created = 0
        # One member and at most one new person per staged row.
        member_ids, person_ids = next_ids(Member, capacity), next_ids(Person, capacity)
        # Every row written takes one of these keys: none lies below the first.
        self.keys_after = {
            "member": min(member_ids, default=1) - 1,
            "person": min(person_ids, default=1) - 1,
        }
        self.member_ids, self.person_ids = iter(member_ids), iter(person_ids)

    def write(self, rows: list[dict[str, Any]]) -> None:
        # Everything that needs no answer from the database first: on PostgreSQL the server
        # is still writing the batch before meanwhile.
        members = [self._member(row) for row in rows]
        persons = [_person_values(row["person"]) if row["person"] else None for row in rows]
        unnumbered = [member for member in members if not member["member_no"]]
        numbers = member_nos_next(
            association=self.association,
            joined_on=[member["joined_on"] for member in unnumbered],
        )
        for member, number in zip(unnumbered, numbers, strict=True):
            member["member_no"] = number
        people, links = self._people(rows, members, persons)  # waits for the database
        insert_rows(Member, members, association=self.association)
        insert_rows(Person, people, association=self.association)
        insert_rows(Representative, links, association=self.association)
        reason = _("导入")
        insert_rows(
            MemberStatusChange,
            (
                {
                    "member_id": member["id"],
                    "from_status": "",
                    "to_status": member["status"],
                    "reason": reason,
                    "effective_on": member["joined_on"],
                    "actor_id": self.actor.pk,
                }
                for member in members
            ),
            association=self.association,
        )
        self.created += len(members)
        self.people_created += len(people)

    def _member(self, row: dict[str, Any]) -> dict[str, Any]:
        """The member's column values (``insert_rows`` fills the defaults)."""
        data = dict(row["member"])
        raw_joined = data.pop("joined_on")
        joined = date.fromisoformat(raw_joined) if raw_joined else None
        # Computed here rather than at validation: on PostgreSQL the pinyin of one batch is
        # worked out while the server writes the one before.
        search_text, sort_key = member_search_fields(
            data["name"], data["uscc"], person=data["kind"] == Member.Kind.INDIVIDUAL
        )
        return {
            **data,
            "id": next(self.member_ids),
            "status": Member.Status.ACTIVE,
            "joined_on": joined or self.today,
            "search_text": search_text,
            "sort_key": sort_key,
        }

    def _people(
        self,
        rows: list[dict[str, Any]],
        members: list[dict[str, Any]],
        persons: list[dict[str, str] | None],
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The batch's new people and its representatives (``persons``: each row's person's
        column values): a phone already in the association (or earlier in the file) is that
        person; a person without a phone is one of a kind."""
        phones = {r["person"]["phone"] for r in rows if r["person"] and r["person"]["phone"]}
        unknown = phones - self.people.keys()
        known = rows_by(Person, "phone", unknown, ("pk",), association=self.association)
        self.people.update((phone, pk) for phone, pk in oldest_by_phone(known).values())
        people: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for member, row, values in zip(members, rows, persons, strict=True):
            data = row["person"]
            if not data or values is None:
                continue
            person_id = self.people.get(data["phone"]) if data["phone"] else None
            if person_id is None:
                person_id = next(self.person_ids)
                people.append({"id": person_id, **values})
                if data["phone"]:
                    self.people[data["phone"]] = person_id
            links.append(
                {"member_id": member["id"], "person_id": person_id, "title": data["title"]}
            )
        return people, links


def _person_values(data: dict[str, str]) -> dict[str, str]:
    search_text, sort_key = person_search_fields(data["name"])
    return {
        "name": data["name"],
        "phone": data["phone"],
        "search_text": search_text,
        "sort_key": sort_key,
    }


def _check_still_free(association: Association, member_import: MemberImport) -> None:
    """Raises an ``ImportConflict`` naming the staged rows whose credit code or member number
    is taken in the association."""
    codes: dict[str, int] = {}
    numbers: dict[str, int] = {}
    for batch in read_staged(member_import, COMMIT_BATCH):
        codes.update((r["member"]["uscc"], r["row"]) for r in batch if r["member"]["uscc"])
        numbers.update(
            (r["member"]["member_no"], r["row"]) for r in batch if r["member"]["member_no"]
        )
    clashes = [
        (codes[uscc], _("第 %(row)d 行的统一社会信用代码已被会员“%(name)s”使用"), name)
        for uscc, name in rows_by(Member, "uscc", codes, ("name",), association=association)
    ]
    clashes += [
        (numbers[number], _("第 %(row)d 行的会员编号已被使用"), "")
        for (number,) in rows_by(Member, "member_no", numbers, association=association)
    ]
    if clashes:
        clashes.sort()
        messages = [message % {"row": row, "name": name} for row, message, name in clashes]
        shown = "；".join(messages[:5]) + ("……" if len(messages) > 5 else "")
        raise ImportConflict(_("校验之后本会会员已有变化：%(clashes)s") % {"clashes": shown})


def commit_failure_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        detail = "；".join(exc.messages)
    elif isinstance(exc, DatabaseError):
        detail = _("数据在校验之后发生了变化（例如会员级别被删除，或信用代码、会员编号被占用）")
    else:
        detail = str(exc) or exc.__class__.__name__
    return _("导入失败，已全部撤销，没有导入任何会员。%(detail)s。请重新校验后再导入") % {
        "detail": detail.rstrip("。")
    }
