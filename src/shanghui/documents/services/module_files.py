"""Other modules' files (其他模块的文件): what the secretariat does with a file a record no
longer holds — a kept version or one in the trash (``core.storage.files``). Download it, save
it into the library (the same stored bytes: the quota does not change), make a kept version
current again, or — administrators — remove it for good. Each is audited."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.models import StoredFile
from shanghui.core.storage.files import file_response, file_restore
from shanghui.core.tenancy import TenantModel
from shanghui.documents.models import FileVersion, Folder
from shanghui.documents.selectors import known_field, module_record
from shanghui.documents.services.files import file_from_content


def _data(stored: StoredFile) -> dict[str, object]:
    return {"holder": stored.holder, "record": stored.record_id, "size": stored.content.size}


def module_file_download(
    *, association: Association, actor: User | None, stored: StoredFile
) -> StreamingHttpResponse:
    """The file's bytes, verified as they are sent; the download logged."""
    audit(
        actor=actor,
        action="documents.module_file.download",
        association=association,
        target=stored,
        summary=stored.name,
        data=_data(stored),
    )
    return file_response(association, stored)


def module_file_save(
    *,
    association: Association,
    actor: User,
    stored: StoredFile,
    folder: Folder,
    name: str = "",
) -> FileVersion:
    """The file into the library's ``folder`` under ``name`` (its own name when empty): a
    new drive file — or the next version of the one of that name there, as an upload would
    be — whose version is the same stored content."""
    with transaction.atomic():
        version = file_from_content(
            association=association,
            actor=actor,
            folder=folder,
            name=name.strip() or stored.name,
            content=stored.content,
        )
        audit(
            actor=actor,
            action="documents.module_file.save",
            association=association,
            target=version.file,
            summary=version.file.name,
            data={**_data(stored), "stored_file": stored.pk, "version": version.number},
        )
    return version


def module_file_restore(*, association: Association, actor: User, stored: StoredFile) -> StoredFile:
    """Make a kept version the current file of its record again — as a new version with the
    same content, so the file it replaces is kept as a version in turn."""
    field = known_field(stored.holder)
    if field is None or field.keeping != "versioned":
        raise ValidationError(_("此文件不保留历史版本，不能恢复；可以下载或存入资料库"))
    if stored.deleted_at is not None or stored.replaced_at is None:
        raise ValidationError(_("只能把历史版本恢复为当前文件"))
    with transaction.atomic():
        record = module_record(association, stored)
        if record is None:
            raise ValidationError(_("此文件所属的记录已删除，不能恢复；可以下载或存入资料库"))
        locked = type(record)._base_manager.select_for_update()
        if isinstance(record, TenantModel):
            # By its association too: on Citus that names the one shard to lock the row in
            # (a FOR UPDATE across shards is refused). The association's own files (logo,
            # banner) are on its row.
            locked = locked.filter(association=association)
        record = locked.get(pk=record.pk)
        try:
            restored = file_restore(record, field.name, stored, by=actor)
        except ValueError:
            raise ValidationError(_("只能把历史版本恢复为当前文件")) from None
        audit(
            actor=actor,
            action="documents.module_file.restore",
            association=association,
            target=record,
            summary=stored.name,
            data={**_data(stored), "stored_file": stored.pk, "restored_as": restored.pk},
        )
    return restored


def module_file_purge(*, association: Association, actor: User, stored: StoredFile) -> None:
    """An administrator's removal for good of a kept version or a file in the trash — never
    the file a record holds now. Its content goes with ``content_release`` once nothing
    else (a library file saved from it …) refers to it."""
    with transaction.atomic():
        row = (
            StoredFile.objects.select_for_update()
            .filter(association=association, pk=stored.pk)
            .first()
        )
        if row is None:
            return
        if row.replaced_at is None and row.deleted_at is None:
            raise ValidationError(_("只能彻底删除回收站中的文件或历史版本"))
        field = known_field(row.holder)
        record = module_record(association, row)
        if field is not None and record is not None and getattr(record, field.attname) == row.pk:
            raise ValidationError(_("这是记录当前使用的文件，不能彻底删除"))
        try:
            with transaction.atomic():
                row.delete()
        except (ProtectedError, IntegrityError):
            raise ValidationError(_("这是记录当前使用的文件，不能彻底删除")) from None
        audit(
            actor=actor,
            action="documents.module_file.purge",
            association=association,
            summary=stored.name,
            data={**_data(stored), "stored_file": stored.pk},
        )
