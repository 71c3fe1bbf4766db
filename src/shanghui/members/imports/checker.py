"""Checking rows: every row through the rules the form and the API use
(``clean_member_input``), plus duplicates inside the file and against existing members."""

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.bulk import rows_by
from shanghui.core.phone import normalize_mobile
from shanghui.core.uscc import is_valid_uscc, normalize_uscc
from shanghui.members.imports.cells import (
    cell_text,
    code_text,
    parse_date,
    parse_industry,
    parse_kind,
    parse_region,
    same_name,
)
from shanghui.members.imports.columns import (
    COLUMN_BY_KEY,
    COLUMN_KEYS,
    EXAMPLE_NAME,
    EXAMPLE_USCC,
    ONE_LINE_KEYS,
    PERSON_NAME_HEADERS,
    SERVICE_FIELDS,
    TEXT_KEYS,
    normalize_header,
)
from shanghui.members.imports.reader import Layout
from shanghui.members.models import Member, Person
from shanghui.members.services.members import (
    MemberInput,
    RepresentativeInput,
    clean_member_input,
    individual_members_by_phone,
)

_LINE_BREAK = re.compile(r"\s*\n\s*")
# A number as Excel shows it in scientific notation (9.14403E+17): its last digits are lost.
_EXPONENT = re.compile(r"^\d(?:\.\d+)?[eE]\+\d+$")


@dataclass
class Issue:
    row: int
    column: str  # the header the user sees
    message: str
    level: str = "error"  # or "warning"

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "level": self.level,
        }


@dataclass
class CheckedRow:
    number: int
    values: tuple[object, ...]
    issues: list[Issue] = field(default_factory=list)
    member: dict[str, Any] = field(default_factory=dict)
    person: dict[str, str] | None = None
    # Already an individual member (of the association, or earlier in the file): not imported.
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return not any(issue.level == "error" for issue in self.issues)


def oldest_by_phone(people: Iterable[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    """Each phone's oldest person among ``(phone, pk, …)`` rows — the lowest key, the one
    ``services.members.person_for`` finds when a member is created — by phone."""
    found: dict[str, tuple[Any, ...]] = {}
    for person in people:
        if person[0] not in found or person[1] < found[person[0]][1]:
            found[person[0]] = person
    return found


class RowChecker:
    """Checks rows one chunk at a time (inside the tenant scope), remembering what earlier rows
    of the file used so that duplicates inside the file are found."""

    def __init__(
        self,
        association: Association,
        layout: Layout,
        fields: dict[str, int],
        levels: dict[str, int],
    ) -> None:
        self.association = association
        self.fields = fields
        self.levels = levels
        self.labels = {
            key: (layout.headers[i] if i < len(layout.headers) else "") or COLUMN_BY_KEY[key].label
            for key, i in fields.items()
        }
        self.seen_uscc: dict[str, int] = {}
        self.seen_no: dict[str, int] = {}
        self.seen_phone: dict[str, tuple[int, str]] = {}
        self.seen_individual: dict[str, tuple[int, str]] = {}  # phone → (row, name)
        self.seen_individual_name: dict[str, int] = {}  # name → row
        self.individual_names: set[str] = set()  # of the association's, for the chunk
        self.today = timezone.localdate()
        self.default_kind = (
            Member.Kind.INDIVIDUAL if names_people(layout, fields) else Member.Kind.ENTERPRISE
        )

    def label(self, key: str) -> str:
        return self.labels.get(key) or COLUMN_BY_KEY[key].label

    def cell(self, values: tuple[object, ...], key: str) -> object:
        index = self.fields.get(key)
        return values[index] if index is not None and index < len(values) else None

    def check_chunk(self, rows: list[tuple[int, tuple[object, ...]]]) -> list[CheckedRow]:
        taken = self._taken_usccs([values for _number, values in rows])
        individuals = self._individuals([values for _number, values in rows])
        checked = [self.check_row(number, values, taken, individuals) for number, values in rows]
        self._against_existing([row for row in checked if not row.skipped])
        return checked

    def _individuals(
        self, rows: list[tuple[object, ...]]
    ) -> dict[str, tuple[int, str, str, str, str]]:
        """The association's individual members with the phones of the chunk's individual
        rows, and (``individual_names``) those of their names: one query each per chunk."""
        phones: set[str] = set()
        names: set[str] = set()
        for values in rows:
            kind_cell = self.cell(values, "kind")
            kind = parse_kind(kind_cell) if kind_cell not in (None, "") else self.default_kind
            phone = code_text(self.cell(values, "rep_phone"))
            if kind != Member.Kind.INDIVIDUAL:
                continue
            names.add(cell_text(self.cell(values, "name")).strip())
            if phone:
                with contextlib.suppress(ValidationError):
                    phones.add(normalize_mobile(phone))
        self.individual_names = set(
            Member.objects.filter(
                association=self.association, kind=Member.Kind.INDIVIDUAL, name__in=names - {""}
            ).values_list("name", flat=True)
        )
        return individual_members_by_phone(association=self.association, phones=phones)

    def _taken_usccs(self, rows: list[tuple[object, ...]]) -> set[str]:
        """The chunk's credit codes already used in the association: one query per chunk."""
        codes = {normalize_uscc(code_text(self.cell(values, "uscc"))) for values in rows} - {""}
        return {row[0] for row in rows_by(Member, "uscc", codes, association=self.association)}

    def check_row(
        self,
        number: int,
        values: tuple[object, ...],
        taken_usccs: set[str],
        individuals: dict[str, tuple[int, str, str, str, str]] | None = None,
    ) -> CheckedRow:
        """One row through the import's own checks (cells Excel mangles, levels by name,
        lengths), then ``clean_member_input`` — the rules of the form and the API — then
        duplicates of earlier rows of the file. An individual member who already is one
        (same phone and name, in the association or earlier in the file) is skipped."""
        row = CheckedRow(number, values)
        failed: set[str] = set()

        def fail(key: str, message: str, level: str = "error") -> None:
            row.issues.append(Issue(number, self.label(key), message, level))
            failed.add(key)

        data, level_id = self._read(values, fail)
        if self._skip_individual(row, data, individuals or {}):
            return row
        cleaned: dict[str, object] = {}
        try:
            cleaned = clean_member_input(
                association=self.association,
                data=data,
                taken_usccs=taken_usccs,
                individuals=individuals,
                today=self.today,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                key = SERVICE_FIELDS.get(name, name)
                if key not in failed:  # our own message about that cell says more
                    for message in messages:
                        fail(key if key in COLUMN_BY_KEY else "name", message)
        if data.name == EXAMPLE_NAME and data.uscc == EXAMPLE_USCC:
            fail("name", _("这是模板中的示例行，请删除后再导入"))
        self._inside_file(row, fail, data)
        if row.ok and data.kind == Member.Kind.INDIVIDUAL:
            self._same_name_warning(row, data.name.strip(), fail)
        if row.ok:
            row.member = {
                **{k: v for k, v in cleaned.items() if k != "level"},
                "level_id": level_id,
                "joined_on": data.joined_on.isoformat() if data.joined_on else None,
                "member_no": data.member_no,
            }
            for rep in data.representatives:
                phone = normalize_mobile(rep.phone) if rep.phone else ""
                row.person = {"name": rep.name, "phone": phone, "title": rep.title}
        return row

    def _skip_individual(
        self,
        row: CheckedRow,
        data: MemberInput,
        individuals: dict[str, tuple[int, str, str, str, str]],
    ) -> bool:
        """Whether the row is an individual member who already is one — the same phone and
        name as an individual member of the association or of an earlier row: then it is
        skipped (a warning saying so), never imported a second time. The same phone under
        another name is left to ``clean_member_input`` (an error)."""
        if data.kind != Member.Kind.INDIVIDUAL or not data.representatives:
            return False
        rep = data.representatives[0]
        try:
            phone = normalize_mobile(rep.phone)
        except ValidationError:
            return False
        holder = individuals.get(phone)
        if holder is not None and same_name(holder[4], rep.name):
            message = _(
                "已是本会个人会员“%(name)s”（会员编号 %(member_no)s），将跳过，不会重复导入"
            )
            message %= {"name": holder[1], "member_no": holder[2]}
        else:
            first_row, first_name = self.seen_individual.setdefault(phone, (row.number, rep.name))
            if first_row == row.number or not same_name(first_name, rep.name):
                return False
            message = _("与第 %(row)d 行是同一位个人会员，将跳过，不会重复导入") % {
                "row": first_row
            }
        row.issues = [Issue(row.number, self.label("name"), message, "warning")]
        row.skipped = True
        return True

    def _same_name_warning(self, row: CheckedRow, name: str, fail: Any) -> None:
        """An individual member of the same name but not the same person (another phone, or
        none): imported as another person, with a warning to check."""
        first = self.seen_individual_name.setdefault(name, row.number)
        if name in self.individual_names:
            message = _("本会已有同名个人会员“%(name)s”，手机号不同，将作为另一人导入，请核对")
            fail("name", message % {"name": name}, "warning")
        elif first != row.number:
            message = _("与第 %(row)d 行姓名相同，手机号不同，将作为另一人导入，请核对")
            fail("name", message % {"row": first}, "warning")

    def _read(self, values: tuple[object, ...], fail: Any) -> tuple[MemberInput, int | None]:
        """The row as the services' input, reporting what the cells themselves get wrong."""
        width = len(values)
        cells = {
            key: values[index] if (index := self.fields.get(key, width)) < width else None
            for key in COLUMN_KEYS
        }
        text = {key: cell_text(cells[key]) for key in TEXT_KEYS}
        for key in ONE_LINE_KEYS:  # a line break typed in a cell (Alt+Enter) is a space
            if "\n" in text[key]:
                text[key] = _LINE_BREAK.sub(" ", text[key])
        kind = parse_kind(cells["kind"]) if cells["kind"] not in (None, "") else self.default_kind
        if kind is None:
            fail("kind", _("会员类型应为“企业会员”或“个人会员”"))
        uscc = code_text(cells["uscc"])
        if isinstance(cells["uscc"], int | float) or (
            ("E+" in uscc or "e+" in uscc) and _EXPONENT.match(uscc)  # a CSV of such a cell
        ):
            uscc = ""
            message = _(
                "统一社会信用代码被 Excel 存成了数字，末尾几位已丢失，请将该列设为文本后重新填写"
            )
            fail("uscc", message)
        try:
            joined_on = parse_date(cells["joined_on"])
        except (ValueError, OverflowError):
            joined_on = None
            fail("joined_on", _("入会日期无法识别，请写成 2024-03-01 的形式"))
        level_id = self.levels.get(text["level"]) if text["level"] else None
        if text["level"] and level_id is None:
            fail("level", _("会员级别“%(name)s”不存在或已停用") % {"name": text["level"]})
        member_no = code_text(cells["member_no"])
        rep_name, rep_phone = text["rep_name"], code_text(cells["rep_phone"])
        if kind == Member.Kind.INDIVIDUAL and rep_phone and not rep_name:
            rep_name = text["name"]  # an individual member represents themself
        for key, value, limit in (
            ("name", text["name"], 100),
            ("member_no", member_no, 30),
            ("rep_name", rep_name, 50),
            ("rep_title", text["rep_title"], 50),
        ):
            if len(value) > limit:  # the form's limits, which clean_member_input leaves to it
                fail(key, _("不能超过 %(limit)d 个字") % {"limit": limit})
        reps = [RepresentativeInput(name=rep_name, phone=rep_phone, title=text["rep_title"])]
        data = MemberInput(
            kind=kind or "",
            name=text["name"],
            uscc=uscc,
            legal_representative=text["legal_representative"],
            industry_code=parse_industry(cells["industry_code"]),
            region_code=parse_region(cells["region_code"]),
            address=text["address"],
            hometown_code=parse_region(cells["hometown_code"]),
            introduction=text["introduction"],
            joined_on=joined_on,
            member_no=member_no,
            representatives=reps if rep_name or rep_phone else [],
        )
        return data, level_id

    def _inside_file(self, row: CheckedRow, fail: Any, data: MemberInput) -> None:
        """Duplicates of earlier rows: the same credit code or member number is an error; the
        same phone is the same person (a warning) unless the names differ (an error)."""
        if is_valid_uscc(data.uscc):
            code = normalize_uscc(data.uscc)
            first = self.seen_uscc.setdefault(code, row.number)
            if first != row.number:
                fail("uscc", _("与第 %(row)d 行的统一社会信用代码重复") % {"row": first})
        if data.member_no:
            first = self.seen_no.setdefault(data.member_no, row.number)
            if first != row.number:
                fail("member_no", _("与第 %(row)d 行的会员编号重复") % {"row": first})
        for rep in data.representatives:
            try:
                phone = normalize_mobile(rep.phone)
            except ValidationError:
                continue  # reported by clean_member_input, if given at all
            first_row, first_name = self.seen_phone.setdefault(phone, (row.number, rep.name))
            if first_row == row.number:
                continue
            if same_name(first_name, rep.name):
                message = _("与第 %(row)d 行是同一位代表（手机号相同），导入后关联为同一人")
                fail("rep_phone", message % {"row": first_row}, "warning")
            else:
                message = _("与第 %(row)d 行的手机号相同，但姓名不同（%(name)s）")
                fail("rep_phone", message % {"row": first_row, "name": first_name})

    def _against_existing(self, rows: list[CheckedRow]) -> None:
        """Phones and member numbers already in use in the association: one query each per
        chunk. (Credit codes are checked by clean_member_input itself.)"""
        phones = {r.person["phone"] for r in rows if r.person and r.person["phone"]}
        people = rows_by(Person, "phone", phones, ("pk", "name"), association=self.association)
        known = {phone: name for phone, _pk, name in oldest_by_phone(people).values()}
        numbers = {str(r.member["member_no"]) for r in rows if r.member.get("member_no")}
        taken = {
            row[0] for row in rows_by(Member, "member_no", numbers, association=self.association)
        }
        for row in rows:
            if row.member.get("member_no") in taken:
                message = _("会员编号已被本会其他会员使用")
                row.issues.append(Issue(row.number, self.label("member_no"), message))
            if row.person and row.person["phone"] in known:
                name, label = known[row.person["phone"]], self.label("rep_phone")
                if same_name(name, row.person["name"]):
                    message = _("该手机号已登记为本会联系人“%(name)s”，导入后关联为同一人")
                    row.issues.append(Issue(row.number, label, message % {"name": name}, "warning"))
                else:
                    message = _("该手机号已登记为“%(name)s”，与本行的会员代表姓名不一致")
                    row.issues.append(Issue(row.number, label, message % {"name": name}))
            if not row.ok:
                row.member, row.person = {}, None


def names_people(layout: Layout, fields: dict[str, int]) -> bool:
    """Whether the names come from a 姓名 column: a list of individuals, whose rows without a
    member type are individual members (otherwise such a row is an enterprise)."""
    index = fields.get("name")
    header = layout.headers[index] if index is not None and index < len(layout.headers) else ""
    return normalize_header(header) in PERSON_NAME_HEADERS
