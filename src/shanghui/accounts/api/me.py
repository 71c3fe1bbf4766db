"""The caller's own account (个人中心): profile, password, personal data, photo, WeChat,
deletion, and the privacy notice."""

from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from shanghui.accounts.api.schemas import (
    DeletionIn,
    MeIn,
    MeOut,
    NoticeOut,
    PasswordChangeIn,
    WechatBindIn,
)
from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import User
from shanghui.accounts.person_records import person_records
from shanghui.accounts.personal_data import account_delete, personal_data, personal_data_xlsx
from shanghui.accounts.selectors import roles_of_person
from shanghui.accounts.services import account, signin
from shanghui.core.apikit.schemas import ERRORS, OkOut
from shanghui.core.http import attachment_response
from shanghui.core.tokens import hash_token
from shanghui.core.uploads import picture_response

me_router = Router(tags=["个人中心"])


def _me(user: User) -> dict[str, object]:
    return {
        "id": user.pk,
        "name": user.name,
        "phone": user.phone,
        "email": user.email,
        "language": user.language,
        "is_platform_operator": user.is_platform_operator,
        "show_phone": account.phone_is_visible(user),
        "wechat_bound": bool(user.wechat_openid),
        "associations": [
            {
                "slug": role.association.slug,
                "name": role.association.name,
                "short_name": role.association.short_name,
                "role": role.kind,
                "role_label": str(role.get_kind_display()),
                "status": role.association.status,
            }
            for role in roles_of_person(user)
        ],
    }


@me_router.get("", operation_id="shanghui_accounts_api_me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> object:
    """The signed-in person, their associations and their role in each."""
    return _me(signed_in_user(request))


@me_router.patch(
    "", operation_id="shanghui_accounts_api_me_update", response={200: MeOut, **ERRORS}
)
def me_update(request: HttpRequest, payload: MeIn) -> object:
    user = account.profile_update(
        user=signed_in_user(request),
        name=payload.name,
        email=payload.email,
        language=payload.language,
    )
    if payload.show_phone is not None:
        account.phone_visibility_set(user=user, show=payload.show_phone)
    return _me(user)


@me_router.post(
    "/password",
    operation_id="shanghui_accounts_api_password_change",
    response={200: OkOut, **ERRORS},
)
def password_change(request: HttpRequest, payload: PasswordChangeIn) -> object:
    """Change my password, confirming the current one. My other API tokens are revoked and my
    browser sessions end; the token (or session) making this call keeps working."""
    user = signed_in_user(request)
    header = request.headers.get("Authorization", "")
    bearer = header[7:].strip() if header.lower().startswith("bearer ") else ""
    signin.password_change(
        user=user,
        current_password=payload.current_password,
        new_password=payload.new_password,
        keep_token_key_hash=hash_token(bearer) if bearer else "",
    )
    if not bearer:
        update_session_auth_hash(request, user)
    return {"ok": True}


@me_router.get(
    "/data-export",
    operation_id="shanghui_accounts_api_data_export",
    response={200: dict[str, list[dict[str, object]]], **ERRORS},
)
def data_export(request: HttpRequest) -> object:
    """Everything the platform holds about the signed-in person (PIPL)."""
    return personal_data(signed_in_user(request))


@me_router.get(
    "/data-export.xlsx",
    operation_id="shanghui_accounts_api_data_export_xlsx",
    response={200: None, **ERRORS},
)
def data_export_xlsx(request: HttpRequest) -> HttpResponse:
    return attachment_response(personal_data_xlsx(signed_in_user(request)), "personal-data.xlsx")


@me_router.get(
    "/photo", operation_id="shanghui_accounts_api_my_photo", response={200: None, **ERRORS}
)
def my_photo(request: HttpRequest) -> HttpResponse:
    """My photo (404 when I have none)."""
    photo = person_records().own_photo(signed_in_user(request))
    if photo is None:
        raise Http404
    return picture_response(photo.association, photo)


@me_router.post(
    "/photo", operation_id="shanghui_accounts_api_my_photo_set", response={200: OkOut, **ERRORS}
)
def my_photo_set(request: HttpRequest, photo: File[UploadedFile | None] = None) -> object:
    """Upload my photo (multipart field ``photo``, JPG or PNG) for every association I belong
    to: it shows on my member card and at event check-in."""
    if photo is None:
        raise ValidationError({"photo": [_("请上传文件")]})
    person_records().own_photo_set(signed_in_user(request), photo)
    return {"ok": True, "message": _("照片已更新")}


@me_router.delete(
    "/photo", operation_id="shanghui_accounts_api_my_photo_remove", response={204: None, **ERRORS}
)
def my_photo_remove(request: HttpRequest) -> Status[None]:
    person_records().own_photo_set(signed_in_user(request), None)
    return Status(204, None)


@me_router.post(
    "/wechat", operation_id="shanghui_accounts_api_wechat_bind", response={200: MeOut, **ERRORS}
)
def wechat_bind(request: HttpRequest, payload: WechatBindIn) -> object:
    """Bind my account to WeChat with an authorization ``code`` from the official account's
    web authorization (snsapi_base) or a mini-program; notifications then also go there."""
    user = signed_in_user(request)
    account.wechat_bind(user=user, code=payload.code)
    return _me(user)


@me_router.delete(
    "/wechat", operation_id="shanghui_accounts_api_wechat_unbind", response={204: None, **ERRORS}
)
def wechat_unbind(request: HttpRequest) -> Status[None]:
    account.wechat_unbind(user=signed_in_user(request))
    return Status(204, None)


@me_router.post(
    "/deletion",
    operation_id="shanghui_accounts_api_account_deletion",
    response={200: OkOut, **ERRORS},
)
def account_deletion(request: HttpRequest, payload: DeletionIn) -> object:
    """Deletes the signed-in person's account (confirm with the password)."""
    account_delete(user=signed_in_user(request), password=payload.password)
    return {"ok": True, "message": _("账号已注销")}


@me_router.get(
    "/privacy-notice",
    operation_id="shanghui_accounts_api_privacy_notice",
    auth=None,
    response={200: NoticeOut, **ERRORS},
)
def privacy_notice(request: HttpRequest) -> object:
    """The privacy notice in force."""
    return account.current_privacy_notice()
