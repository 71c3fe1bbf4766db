"""The creation step of resumable uploads (tus 1.0.0, ``documents.uploads``); the chunks go
to the ``Location`` it answers, outside the association's door."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Header, Path, Router

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, require_member
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.http import id_or_404
from shanghui.documents import selectors
from shanghui.documents.uploads import CHUNK_SIZE, TUS_VERSION, _metadata, upload_create

uploads_router = Router(tags=["资料库"])


@uploads_router.post("/documents/uploads", response={201: None, **ERRORS})
def upload_start(
    request: HttpRequest,
    slug: Path[str],
    upload_length: Header[str] = "",
    upload_metadata: Header[str] = "",
) -> HttpResponse:
    """开始一个可续传的上传（tus 1.0.0 协议，大文件用）：请求头 ``Upload-Length``（字节数）与
    ``Upload-Metadata``（``filename`` 和 ``folder_id``，各自 base64）。答复 201，``Location`` 是之后
    以 ``PATCH`` 逐片发送（``Upload-Offset``，``Content-Type: application/offset+octet-stream``，
    每片不超过 16 MB，建议 8 MB）、以 ``HEAD`` 查询已收到多少、以 ``DELETE`` 放弃的地址。
    最后一片的答复带 ``X-Version-Id``：文件已进入资料库（同名文件则成为新版本）。"""
    role = require_member(current_role(request))
    if not has_perm(role, Perm.MANAGE_DOCUMENTS):
        raise PermissionDenied
    association = current_association(request)
    user = signed_in_user(request)
    view = selectors.folder_view(association=association, role=role, user=user)
    folder_id = _metadata(upload_metadata).get("folder_id", "")
    folder = selectors.access_folder(
        association=association, view=view, folder_id=id_or_404(folder_id)
    )
    session = upload_create(
        association=association,
        actor=user,
        folder=folder,
        length_header=upload_length,
        metadata_header=upload_metadata,
    )
    response = HttpResponse(status=201)
    response["Location"] = f"/uploads/{session.pk}/"
    response["Tus-Resumable"] = TUS_VERSION
    response["X-Chunk-Size"] = str(CHUNK_SIZE)
    return response
