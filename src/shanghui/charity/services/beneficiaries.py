"""Sponsored students (受助学生): their records and consents, the reveal of their ID number,
erasure on withdrawn consent, and the retention of their personal data. The sponsorships,
schedule, payments, visits and academic records are in ``services.sponsorship``.

Rules kept here, for the pages, the API and the commands alike:

- A beneficiary's ID number is stored encrypted (``core.encryption``) with a blind index
  beside it, so the same student is not entered twice; it leaves the database in plain text
  only through ``beneficiary_reveal`` (audited, rate-limited).
- 个人信息保护法: a minor's record needs the guardian's consent (§31), and the ID number and
  family situation a separate consent for sensitive data (§29). Withdrawing consent erases
  the personal data at once; ``beneficiaries_retention`` erases it once the sponsorship
  ended more than ``CHARITY_BENEFICIARY_RETENTION_YEARS`` ago. Rows stay, for the totals.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.charity.models import (
    Beneficiary,
    Partner,
    Visit,
    VisitPhoto,
)
from shanghui.charity.services.common import clean_text, own_record
from shanghui.core.audit import audit
from shanghui.core.encryption import blind_index, field_decrypt, field_encrypt
from shanghui.core.models import StoredFile
from shanghui.core.privacy import personal_data_reveal
from shanghui.core.storage.files import file_attach, store_refusals
from shanghui.core.types import Tenant
from shanghui.core.uploads import image_normalized, picture_put

Scope = Callable[[], AbstractContextManager[None]]

PHOTO_HOLDER = "charity.beneficiary.photo"
VISIT_PHOTO_HOLDER = "charity.visitphoto.file"
PHOTO_MAX_SIDE = 1600
ADULT_AGE = 18


def retention_years() -> int:
    return int(settings.CHARITY_BENEFICIARY_RETENTION_YEARS)


# --- Small checks ------------------------------------------------------------------------


def _not_future(value: date | None, *, field: str, label: str) -> date | None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})
    return value


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECKS = "10X98765432"


def id_number_normalized(value: str) -> str:
    """An ID number (居民身份证号码, GB 11643) as stored: 18 characters, the check letter
    upper-case; refused with a message when malformed, its check digit wrong, or its birth
    date impossible."""
    number = (value or "").strip().replace(" ", "").upper()
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        raise ValidationError({"id_number": _("身份证号应为 18 位（最后一位可为 X）")})
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    if ID_CHECKS[total % 11] != number[17]:
        raise ValidationError({"id_number": _("身份证号校验位不正确，请核对")})
    if id_birth_date(number) is None:
        raise ValidationError({"id_number": _("身份证号中的出生日期无效")})
    return number


def id_birth_date(number: str) -> date | None:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return born if date(1900, 1, 1) <= born <= timezone.localdate() else None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_minor(beneficiary: Beneficiary, today: date | None = None) -> bool:
    born = beneficiary.birth_date
    return born is not None and age_on(born, today or timezone.localdate()) < ADULT_AGE


# --- Beneficiaries -----------------------------------------------------------------------


@dataclass(frozen=True)
class BeneficiaryInput:
    """What the secretariat enters. ``id_number`` and ``family_situation`` left ``None``
    keep what is stored (the edit form cannot show them: showing is a reveal); "" clears."""

    name: str
    gender: str = ""
    birth_date: date | None = None
    id_number: str | None = None
    region_code: str = ""
    school: Partner | None = None
    school_name: str = ""
    grade: str = ""
    stage: str = Beneficiary.Stage.HIGH_SCHOOL
    family_situation: str | None = None
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""
    guardian_consent_on: date | None = None
    sensitive_consent_on: date | None = None
    consent_note: str = ""
    graduated_on: date | None = None
    outcome: str = ""
    ended_on: date | None = None


def _apply(association: Tenant, beneficiary: Beneficiary, data: BeneficiaryInput) -> list[str]:
    """Sets ``data`` on ``beneficiary`` after checking it; answers the names of the fields
    whose plain value changed (for the audit record, never the values)."""
    own_record(association, data.school, "school")
    if data.school is not None and data.school.kind != Partner.Kind.SCHOOL:
        raise ValidationError({"school": _("请选择类型为学校的合作机构")})
    if data.gender not in ("", *Beneficiary.Gender.values):
        raise ValidationError({"gender": _("请选择性别")})
    if data.stage not in Beneficiary.Stage.values:
        raise ValidationError({"stage": _("请选择阶段")})
    region = clean_text(data.region_code, field="region_code", limit=6)
    if region and not (len(region) == 6 and region.isdigit()):
        raise ValidationError({"region_code": _("地区代码应为 6 位数字（GB/T 2260）")})
    values: dict[str, object] = {
        "name": clean_text(data.name, field="name", limit=50, required=_("请填写学生姓名")),
        "gender": data.gender,
        "region_code": region,
        "school": data.school,
        "school_name": data.school.name
        if data.school is not None
        else clean_text(data.school_name, field="school_name", limit=100),
        "grade": clean_text(data.grade, field="grade", limit=30),
        "stage": data.stage,
        "guardian_name": clean_text(data.guardian_name, field="guardian_name", limit=50),
        "guardian_relation": clean_text(
            data.guardian_relation, field="guardian_relation", limit=20
        ),
        "guardian_phone": clean_text(data.guardian_phone, field="guardian_phone", limit=20),
        "guardian_consent_on": _not_future(
            data.guardian_consent_on, field="guardian_consent_on", label=_("监护人同意日期")
        ),
        "sensitive_consent_on": _not_future(
            data.sensitive_consent_on, field="sensitive_consent_on", label=_("单独同意日期")
        ),
        "consent_note": clean_text(data.consent_note, field="consent_note", limit=200),
        "graduated_on": _not_future(data.graduated_on, field="graduated_on", label=_("毕业日期")),
        "outcome": clean_text(data.outcome, field="outcome", limit=200),
        "ended_on": _not_future(data.ended_on, field="ended_on", label=_("资助结束日期")),
    }
    number = None
    if data.id_number is not None and data.id_number.strip():
        number = id_number_normalized(data.id_number)
    birth = _not_future(data.birth_date, field="birth_date", label=_("出生日期"))
    if birth is None and number is not None:
        birth = id_birth_date(number)  # a minor is a minor whether or not the date was typed
    elif birth is not None and number is not None and id_birth_date(number) != birth:
        raise ValidationError({"birth_date": _("出生日期与身份证号不一致")})
    values["birth_date"] = birth
    if birth is not None and birth.year < 1900:
        raise ValidationError({"birth_date": _("出生日期无效")})
    changed = [name for name, value in values.items() if getattr(beneficiary, name) != value]
    for name, value in values.items():
        setattr(beneficiary, name, value)
    family = data.family_situation
    if family is not None:
        family = clean_text(family, field="family_situation", limit=2000)
        if family != (field_decrypt(beneficiary, "family_situation") or ""):
            field_encrypt(beneficiary, "family_situation", family)
            changed.append("family_situation")
    if data.id_number is not None:
        plain = number or ""
        if plain != (field_decrypt(beneficiary, "id_number") or ""):
            field_encrypt(beneficiary, "id_number", plain)
            beneficiary.id_number_index = blind_index(plain) if plain else ""
            changed.append("id_number")
    _consents(beneficiary)
    return changed


def _consents(beneficiary: Beneficiary) -> None:
    """The consent rules (个人信息保护法 §§29–31), checked on what is about to be saved."""
    if is_minor(beneficiary) and beneficiary.guardian_consent_on is None:
        raise ValidationError(
            {"guardian_consent_on": _("学生未满 18 周岁：须先取得监护人同意并填写同意日期")}
        )
    sensitive = bool(beneficiary.id_number or beneficiary.family_situation)
    if sensitive and beneficiary.sensitive_consent_on is None:
        raise ValidationError(
            {
                "sensitive_consent_on": _(
                    "身份证号和家庭情况属于敏感个人信息：须取得单独同意并填写同意日期"
                )
            }
        )


def _duplicate_check(association: Tenant, beneficiary: Beneficiary) -> None:
    if not beneficiary.id_number_index:
        return
    other = (
        Beneficiary.objects.filter(
            association_id=association.pk, id_number_index=beneficiary.id_number_index
        )
        .exclude(pk=beneficiary.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            {"id_number": _("该身份证号已登记为受助学生：%(name)s") % {"name": other.name}}
        )


def _save(association: Tenant, beneficiary: Beneficiary) -> None:
    _duplicate_check(association, beneficiary)
    try:
        with transaction.atomic():
            beneficiary.save()
    except IntegrityError as exc:  # entered at the same moment by someone else
        raise ValidationError({"id_number": _("该身份证号已登记为受助学生")}) from exc


def _photo(association: Tenant, actor: User | None, upload: UploadedFile | None) -> StoredFile:
    picture = image_normalized(upload, field="photo", max_side=PHOTO_MAX_SIDE)
    with store_refusals("photo"):
        return picture_put(association, picture, holder=PHOTO_HOLDER, by=actor)


def beneficiary_create(
    *,
    association: Tenant,
    actor: User | None,
    data: BeneficiaryInput,
    photo: UploadedFile | None = None,
) -> Beneficiary:
    """A new sponsored student, with the consents the law asks for (refused otherwise, with
    the reason on the field; nothing is written). Audit-logged without the personal data."""
    beneficiary = Beneficiary(association_id=association.pk, created_by=actor)
    _apply(association, beneficiary, data)
    stored = _photo(association, actor, photo) if photo is not None else None
    with transaction.atomic():
        _save(association, beneficiary)
        if stored is not None:
            file_attach(beneficiary, "photo", stored)
        audit(
            actor=actor,
            action="charity.beneficiary.create",
            association=association,
            target=beneficiary,
            summary=beneficiary.name,
        )
    return beneficiary


def _editable(beneficiary: Beneficiary) -> None:
    if beneficiary.erased_at is not None:
        raise ValidationError(_("该学生的个人信息已删除，记录仅用于统计，不能再修改"))


def beneficiary_update(
    *,
    association: Tenant,
    actor: User | None,
    beneficiary: Beneficiary,
    data: BeneficiaryInput,
    photo: UploadedFile | None = None,
) -> Beneficiary:
    """Changes a student's record (school, grade, stage, consents, graduation, outcome …)
    under the same rules as ``beneficiary_create``. The audit record names the fields that
    changed, never their values."""
    own_record(association, beneficiary, "beneficiary")
    _editable(beneficiary)
    fresh = Beneficiary.objects.get(association_id=association.pk, pk=beneficiary.pk)
    changed = _apply(association, fresh, data)
    stored = _photo(association, actor, photo) if photo is not None else None
    with transaction.atomic():
        _save(association, fresh)
        if stored is not None:
            file_attach(fresh, "photo", stored)
            changed.append("photo")
        audit(
            actor=actor,
            action="charity.beneficiary.update",
            association=association,
            target=fresh,
            summary=fresh.name,
            data={"fields": changed},
        )
    return fresh


def beneficiary_photo_set(
    *, association: Tenant, actor: User | None, beneficiary: Beneficiary, photo: UploadedFile
) -> Beneficiary:
    """Replaces the student's photo (re-encoded without metadata; the old one is let go)."""
    own_record(association, beneficiary, "beneficiary")
    _editable(beneficiary)
    stored = _photo(association, actor, photo)
    with transaction.atomic():
        file_attach(beneficiary, "photo", stored)
        audit(
            actor=actor,
            action="charity.beneficiary.update",
            association=association,
            target=beneficiary,
            summary=beneficiary.name,
            data={"fields": ["photo"]},
        )
    return beneficiary


@dataclass(frozen=True)
class Revealed:
    id_number: str
    family_situation: str


def beneficiary_reveal(*, association: Tenant, actor: User, beneficiary: Beneficiary) -> Revealed:
    """The student's ID number and family situation in plain text, for one viewer who asked
    (the caller has checked ``Perm.VIEW_PERSONAL_DATA``). Audited and counted against the
    viewer's hourly limit of reveals (``RateLimited`` past it: nothing is shown)."""
    own_record(association, beneficiary, "beneficiary")
    personal_data_reveal(
        actor=actor,
        association=association,
        action="charity.beneficiary.reveal",
        target=beneficiary,
        summary=beneficiary.name,
    )
    return Revealed(
        id_number=field_decrypt(beneficiary, "id_number") or "",
        family_situation=field_decrypt(beneficiary, "family_situation") or "",
    )


PERSONAL_FIELDS = (
    "id_number",
    "id_number_index",
    "family_situation",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "consent_note",
)


def beneficiary_erase(
    *, association: Tenant, actor: User | None, beneficiary: Beneficiary, reason: str
) -> bool:
    """Erases the student's personal data — ID number, family situation, birth date,
    guardian, photo, visit photos and visit notes — keeping the row, its sponsorships and
    payments for the totals. Answers False when already erased. Audit-logged."""
    own_record(association, beneficiary, "beneficiary")
    with transaction.atomic():
        locked = (
            Beneficiary.objects.select_for_update()
            .filter(association_id=association.pk, pk=beneficiary.pk, erased_at__isnull=True)
            .first()
        )
        if locked is None:
            return False
        for name in PERSONAL_FIELDS:
            setattr(locked, name, "")
        locked.birth_date = None
        locked.guardian_consent_on = None
        locked.sensitive_consent_on = None
        locked.erased_at = timezone.now()
        locked.save(
            update_fields=[
                *PERSONAL_FIELDS,
                "birth_date",
                "guardian_consent_on",
                "sensitive_consent_on",
                "erased_at",
            ]
        )
        file_attach(locked, "photo", None)
        visits = Visit.objects.filter(association_id=association.pk, beneficiary=locked)
        for photo in VisitPhoto.objects.filter(association_id=association.pk, visit__in=visits):
            file_attach(photo, "file", None)
            photo.delete()
        visits.update(notes="")
        audit(
            actor=actor,
            action="charity.beneficiary.erase",
            association=association,
            target=locked,
            summary=f"{locked.name}：{reason}",
        )
    beneficiary.erased_at = locked.erased_at
    return True


def beneficiary_consent_withdraw(
    *, association: Tenant, actor: User | None, beneficiary: Beneficiary, note: str = ""
) -> Beneficiary:
    """The student (or their guardian) withdrew consent (个人信息保护法 §§15, 47): the
    personal data is erased now, and an active sponsorship stays as it is for its payments."""
    note = clean_text(note, field="note", limit=200)
    if beneficiary.erased_at is not None:
        raise ValidationError(_("该学生的个人信息已删除"))
    reason = _("撤回同意") + (f"（{note}）" if note else "")
    beneficiary_erase(association=association, actor=actor, beneficiary=beneficiary, reason=reason)
    return Beneficiary.objects.get(association_id=association.pk, pk=beneficiary.pk)


def beneficiaries_retention(
    *, association: Tenant, today: date | None = None, scope: Scope = nullcontext
) -> int:
    """The daily pass (``manage.py charity_beneficiary_retention``): erases the personal data
    of students whose sponsorship ended more than ``CHARITY_BENEFICIARY_RETENTION_YEARS``
    ago, and of any holding sensitive data without the consent for it (withdrawn). Answers
    how many were erased."""
    today = today or timezone.localdate()
    years = retention_years()
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    with scope():
        base = Beneficiary.objects.filter(association_id=association.pk, erased_at__isnull=True)
        expired = list(base.filter(ended_on__lt=cutoff).values_list("pk", flat=True))
        unconsented = list(
            base.filter(sensitive_consent_on__isnull=True)
            .exclude(id_number="", family_situation="")
            .values_list("pk", flat=True)
        )
    erased = 0
    for pk, reason in [(pk, _("超过保存期限")) for pk in expired] + [
        (pk, _("未取得敏感信息单独同意")) for pk in unconsented if pk not in expired
    ]:
        with scope():
            beneficiary = Beneficiary.objects.get(association_id=association.pk, pk=pk)
            erased += beneficiary_erase(
                association=association, actor=None, beneficiary=beneficiary, reason=reason
            )
    return erased
