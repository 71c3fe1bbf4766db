"""Attaching a file of the document library elsewhere (``contributions.LIBRARY``): what the
forms of other modules call, so that none of them names the library's app."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from shanghui.core.contributions import LIBRARY, LibraryFile
from shanghui.core.types import AppTenant, Position


def library_choices(
    association: AppTenant, role: Position | None, user: object, extensions: frozenset[str]
) -> list[LibraryFile]:
    """The library's files ``role`` may attach (lower-case extensions without the dot)."""
    for picker in LIBRARY.visible_to(role):
        return picker.choices(association, role, user, extensions)
    return []


def library_open(
    association: AppTenant, role: Position | None, user: object, file_id: int
) -> UploadedFile:
    """The library's file ``file_id`` as an upload, its bytes verified; 404 when the person
    may not see it (or there is no library)."""
    for picker in LIBRARY.visible_to(role):
        upload: UploadedFile = picker.open(association, role, user, file_id)
        return upload
    raise Http404


class FileOrLibraryForm(forms.Form):
    """A file uploaded, or one picked from the document library (``library``: the choices
    ``library_choices`` gave; without any, only the upload is offered). Exactly one of the
    two; ``upload(request)`` is what the service stores."""

    file = forms.FileField(label=_("上传文件"), required=False)
    library_file = forms.TypedChoiceField(
        label=_("或从资料库选择"), coerce=int, required=False, empty_value=None, choices=[]
    )

    def __init__(self, *args: Any, library: Iterable[LibraryFile] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f.id, f"{f.folder} / {f.name}") for f in library]
        if choices:
            field = self.fields["library_file"]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [("", "—"), *choices]
        else:
            del self.fields["library_file"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("library_file"):
            raise forms.ValidationError(_("请上传文件，或从资料库选择一个文件"))
        if data.get("file") and data.get("library_file"):
            raise forms.ValidationError(_("上传文件与从资料库选择，请只用一种"))
        return data

    def upload(self, association: AppTenant, role: Position | None, user: object) -> UploadedFile:
        """The uploaded file, or the library's file copied (verified) as an upload."""
        data = self.cleaned_data
        if data.get("file"):
            upload: UploadedFile = data["file"]
            return upload
        return library_open(association, role, user, data["library_file"])
