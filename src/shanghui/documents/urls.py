"""Namespace "documents": the chunks of resumable uploads at /uploads/<upload_id>/, the
library for members under /a/<association_slug>/documents/, a share link's public page under
/a/<association_slug>/documents/s/<share_token>/, the back office under
/a/<association_slug>/office/documents/ (other modules' files under module-files/)."""

from django.urls import path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.documents import uploads
from shanghui.documents.views import files, folders, member, module_files, share, trash

M = f"{SPACE}documents/"
O = f"{OFFICE}documents/"  # noqa: E741 - the back office prefix
OD = f"{O}folders/<int:folder_id>/"
OF = f"{O}files/<int:file_id>/"
OM = f"{O}module-files/"
OMF = f"{OM}<int:stored_file_id>/"

app_name = "documents"

urlpatterns = [
    # The chunks of resumable uploads, outside any association's door (documents.uploads).
    path("uploads/<uuid:upload_id>/", uploads.upload_resource, name="upload"),
    # Members on the phone
    path(M, member.library, name="library"),
    path(f"{M}folders/<int:folder_id>/", member.folder, name="folder"),
    path(f"{M}files/<int:file_id>/", member.file_page, name="file"),
    path(f"{M}files/<int:file_id>/download/", member.download, name="download"),
    # A share link: anyone holding it
    path(f"{M}s/<str:share_token>/", share.share, name="share"),
    # The back office
    path(O, folders.library, name="office_library"),
    path(f"{O}search/", folders.search, name="office_search"),
    path(OD, folders.folder, name="office_folder"),
    path(f"{OD}new/", folders.folder_new, name="office_folder_new"),
    path(f"{OD}edit/", folders.folder_edit, name="office_folder_edit"),
    path(f"{OD}delete/", folders.folder_delete, name="office_folder_delete"),
    path(f"{OD}upload/", folders.upload, name="office_upload"),
    path(f"{OD}zip/", folders.folder_zip, name="office_folder_zip"),
    path(OF, files.file_page, name="office_file"),
    path(f"{OF}delete/", files.file_delete, name="office_file_delete"),
    path(
        f"{OF}versions/<int:version_number>/",
        files.version_download,
        name="office_version_download",
    ),
    path(
        f"{OF}versions/<int:version_number>/restore/",
        files.version_restore,
        name="office_version_restore",
    ),
    path(f"{OF}shares/", files.share_create, name="office_share_create"),
    path(f"{OF}shares/<int:share_id>/revoke/", files.share_revoke, name="office_share_revoke"),
    path(f"{O}trash/", trash.trash, name="office_trash"),
    path(
        f"{O}trash/files/<int:file_id>/restore/",
        trash.file_restore,
        name="office_trash_file_restore",
    ),
    path(f"{O}trash/files/<int:file_id>/purge/", trash.file_purge, name="office_trash_file_purge"),
    path(
        f"{O}trash/folders/<int:folder_id>/restore/",
        trash.folder_restore,
        name="office_trash_folder_restore",
    ),
    path(
        f"{O}trash/folders/<int:folder_id>/purge/",
        trash.folder_purge,
        name="office_trash_folder_purge",
    ),
    # Other modules' files: their trash and kept versions (views.module_files)
    path(OM, module_files.module_files, name="office_module_files"),
    path(f"{OMF}download/", module_files.download, name="office_module_file_download"),
    path(f"{OMF}save/", module_files.save, name="office_module_file_save"),
    path(f"{OMF}restore/", module_files.restore, name="office_module_file_restore"),
    path(f"{OMF}purge/", module_files.purge, name="office_module_file_purge"),
]
