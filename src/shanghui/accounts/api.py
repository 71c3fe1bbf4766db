from datetime import datetime

from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import StrictBool

from shanghui.accounts import services, signin
from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import User
from shanghui.accounts.person_records import person_records
from shanghui.accounts.personal_data import account_delete, personal_data, personal_data_xlsx
from shanghui.accounts.selectors import roles_of_person
from shanghui.core.apikit.errors import error_response
from shanghui.core.apikit.schemas import ERRORS, OkOut
from shanghui.core.http import attachment_response
from shanghui.core.phone import normalize_mobile
from shanghui.core.tokens import hash_token
from shanghui.core.uploads import image_response

auth_router = Router(tags=["认证"])
me_router = Router(tags=["个人中心"])


class TokenIn(Schema):
    phone: str
    password: str
    name: str = ""


class TokenOut(Schema):
    id: int
    token: str
    name: str
    expires_at: datetime


class TokenInfo(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    revoked_at: datetime | None


class PhoneIn(Schema):
    phone: str


class PasswordResetIn(Schema):
    phone: str
    code: str
    new_password: str


class SignInCodeIn(Schema):
    phone: str
    code: str
    name: str = ""


class PasswordChangeIn(Schema):
    current_password: str
    new_password: str


def _token_for(user: User, name: str, via: str) -> Status[object]:
    token, raw = services.api_token_create(user=user, name=name)
    services.sign_in_record(user=user, via=via)
    return Status(
        201, {"id": token.pk, "token": raw, "name": token.name, "expires_at": token.expires_at}
    )


@auth_router.post("/token", auth=None, response={201: TokenOut, **ERRORS})
def token_create(request: HttpRequest, payload: TokenIn) -> Status[object] | HttpResponse:
    """Exchange a phone number and password for a bearer token. After five wrong passwords
    for a number from one address, that number gets 403 ``sign_in_code_required`` there for
    30 minutes and signs in with an SMS code instead (``POST /auth/sign-in-code``, then
    ``POST /auth/token/sms``); too many failures from one address, whatever the numbers, get
    429 with ``Retry-After``."""
    try:
        phone = normalize_mobile(payload.phone)
    except ValidationError as exc:
        return error_response("validation_error", status=400, fields={"phone": exc.messages})
    try:
        user = signin.sign_in_password(request=request, phone=phone, password=payload.password)
    except signin.CodeRequired:
        return error_response("sign_in_code_required", status=403)
    except ValidationError:
        return error_response("invalid_credentials", status=401)
    return _token_for(user, payload.name, via="api")


@auth_router.post("/sign-in-code", auth=None, response={202: OkOut, **ERRORS})
def sign_in_code_send(request: HttpRequest, payload: PhoneIn) -> Status[object]:
    """Sends a six-digit sign-in code by SMS when the number has an account (the answer is
    the same either way; capped per number, per address and platform-wide: 429)."""
    signin.sign_in_code_request(phone=payload.phone)
    return Status(202, {"ok": True})


@auth_router.post("/token/sms", auth=None, response={201: TokenOut, **ERRORS})
def token_create_by_code(request: HttpRequest, payload: SignInCodeIn) -> Status[object]:
    """Exchange a phone number and the SMS code from ``POST /auth/sign-in-code`` for a bearer
    token; this also lifts the number's lockout."""
    user = signin.sign_in_code(phone=payload.phone, code=payload.code)
    return _token_for(user, payload.name, via="api_sms_code")


@auth_router.get("/tokens", response={200: list[TokenInfo], **ERRORS})
def token_list(request: HttpRequest) -> object:
    return signed_in_user(request).api_tokens.all()


@auth_router.delete("/tokens/{token_id}", response={200: OkOut, **ERRORS})
def token_revoke(request: HttpRequest, token_id: int) -> object:
    services.api_token_revoke(user=signed_in_user(request), token_id=token_id)
    return {"ok": True}


@auth_router.post("/password-reset/code", auth=None, response={202: OkOut, **ERRORS})
def password_reset_code(request: HttpRequest, payload: PhoneIn) -> Status[object]:
    """Sends a six-digit code by SMS when the number has an account (the answer is the same
    either way)."""
    services.password_reset_request(phone=payload.phone)
    return Status(202, {"ok": True})


@auth_router.post("/password-reset/confirm", auth=None, response={200: OkOut, **ERRORS})
def password_reset_confirm(request: HttpRequest, payload: PasswordResetIn) -> object:
    services.password_reset_confirm(
        phone=payload.phone, code=payload.code, new_password=payload.new_password
    )
    return {"ok": True}


class MembershipOut(Schema):
    slug: str
    name: str
    short_name: str
    role: str
    role_label: str
    status: str


class MeOut(Schema):
    id: int
    name: str
    phone: str | None
    email: str
    language: str
    is_platform_operator: bool
    show_phone: bool
    wechat_bound: bool
    associations: list[MembershipOut]


class MeIn(Schema):
    name: str | None = None
    email: str | None = None
    language: str | None = None
    show_phone: StrictBool | None = None


def _me(user: User) -> dict[str, object]:
    return {
        "id": user.pk,
        "name": user.name,
        "phone": user.phone,
        "email": user.email,
        "language": user.language,
        "is_platform_operator": user.is_platform_operator,
        "show_phone": services.phone_is_visible(user),
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


@me_router.get("", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> object:
    """The signed-in person, their associations and their role in each."""
    return _me(signed_in_user(request))


@me_router.patch("", response={200: MeOut, **ERRORS})
def me_update(request: HttpRequest, payload: MeIn) -> object:
    user = services.profile_update(
        user=signed_in_user(request),
        name=payload.name,
        email=payload.email,
        language=payload.language,
    )
    if payload.show_phone is not None:
        services.phone_visibility_set(user=user, show=payload.show_phone)
    return _me(user)


@me_router.post("/password", response={200: OkOut, **ERRORS})
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


@me_router.get("/data-export", response={200: dict[str, list[dict[str, object]]], **ERRORS})
def data_export(request: HttpRequest) -> object:
    """Everything the platform holds about the signed-in person (PIPL)."""
    return personal_data(signed_in_user(request))


@me_router.get("/data-export.xlsx", response={200: None, **ERRORS})
def data_export_xlsx(request: HttpRequest) -> HttpResponse:
    return attachment_response(personal_data_xlsx(signed_in_user(request)), "personal-data.xlsx")


@me_router.get("/photo", response={200: None, **ERRORS})
def my_photo(request: HttpRequest) -> FileResponse:
    """My photo (404 when I have none)."""
    photo = person_records().own_photo(signed_in_user(request))
    if photo is None:
        raise Http404
    return image_response(photo)


@me_router.post("/photo", response={200: OkOut, **ERRORS})
def my_photo_set(request: HttpRequest, photo: File[UploadedFile | None] = None) -> object:
    """Upload my photo (multipart field ``photo``, JPG or PNG) for every association I belong
    to: it shows on my member card and at event check-in."""
    if photo is None:
        raise ValidationError({"photo": [_("请上传文件")]})
    person_records().own_photo_set(signed_in_user(request), photo)
    return {"ok": True, "message": _("照片已更新")}


@me_router.delete("/photo", response={204: None, **ERRORS})
def my_photo_remove(request: HttpRequest) -> Status[None]:
    person_records().own_photo_set(signed_in_user(request), None)
    return Status(204, None)


class WechatBindIn(Schema):
    code: str


@me_router.post("/wechat", response={200: MeOut, **ERRORS})
def wechat_bind(request: HttpRequest, payload: WechatBindIn) -> object:
    """Bind my account to WeChat with an authorization ``code`` from the official account's
    web authorization (snsapi_base) or a mini-program; notifications then also go there."""
    user = signed_in_user(request)
    services.wechat_bind(user=user, code=payload.code)
    return _me(user)


@me_router.delete("/wechat", response={204: None, **ERRORS})
def wechat_unbind(request: HttpRequest) -> Status[None]:
    services.wechat_unbind(user=signed_in_user(request))
    return Status(204, None)


class DeletionIn(Schema):
    password: str


@me_router.post("/deletion", response={200: OkOut, **ERRORS})
def account_deletion(request: HttpRequest, payload: DeletionIn) -> object:
    """Deletes the signed-in person's account (confirm with the password)."""
    account_delete(user=signed_in_user(request), password=payload.password)
    return {"ok": True, "message": _("账号已注销")}


class NoticeOut(Schema):
    version: str
    title: str
    body: str
    published_at: datetime


@me_router.get("/privacy-notice", auth=None, response={200: NoticeOut, **ERRORS})
def privacy_notice(request: HttpRequest) -> object:
    """The privacy notice in force."""
    return services.current_privacy_notice()
