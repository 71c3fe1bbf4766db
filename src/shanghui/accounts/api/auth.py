"""Signing in to the API: tokens by password or SMS code, listing and revoking them, resetting
the password."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from shanghui.accounts.api.schemas import (
    PasswordResetIn,
    PhoneIn,
    SignInCodeIn,
    TokenIn,
    TokenInfo,
    TokenOut,
)
from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import User
from shanghui.accounts.services import signin, tokens
from shanghui.core.apikit.errors import error_response
from shanghui.core.apikit.schemas import ERRORS, ErrorOut, OkOut
from shanghui.core.notifications import NotSent
from shanghui.core.phone import normalize_mobile

auth_router = Router(tags=["认证"])


def _token_for(user: User, name: str, via: str) -> Status[object]:
    token, raw = tokens.api_token_create(user=user, name=name)
    signin.sign_in_record(user=user, via=via)
    return Status(
        201, {"id": token.pk, "token": raw, "name": token.name, "expires_at": token.expires_at}
    )


@auth_router.post(
    "/token",
    operation_id="shanghui_accounts_api_token_create",
    auth=None,
    response={201: TokenOut, **ERRORS},
)
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


@auth_router.post(
    "/sign-in-code",
    operation_id="shanghui_accounts_api_sign_in_code_send",
    auth=None,
    response={202: OkOut, 503: ErrorOut, **ERRORS},
)
def sign_in_code_send(request: HttpRequest, payload: PhoneIn) -> Status[object] | HttpResponse:
    """Sends a six-digit sign-in code by SMS when the number has an account (the answer is
    the same either way; capped per number, per address and platform-wide: 429). 503
    ``sms_not_sent`` when the SMS gateway refused the code."""
    try:
        signin.sign_in_code_request(phone=payload.phone)
    except NotSent:
        return error_response("sms_not_sent", status=503)
    return Status(202, {"ok": True})


@auth_router.post(
    "/token/sms",
    operation_id="shanghui_accounts_api_token_create_by_code",
    auth=None,
    response={201: TokenOut, **ERRORS},
)
def token_create_by_code(request: HttpRequest, payload: SignInCodeIn) -> Status[object]:
    """Exchange a phone number and the SMS code from ``POST /auth/sign-in-code`` for a bearer
    token; this also lifts the number's lockout."""
    user = signin.sign_in_code(phone=payload.phone, code=payload.code)
    return _token_for(user, payload.name, via="api_sms_code")


@auth_router.get(
    "/tokens",
    operation_id="shanghui_accounts_api_token_list",
    response={200: list[TokenInfo], **ERRORS},
)
def token_list(request: HttpRequest) -> object:
    return signed_in_user(request).api_tokens.all()


@auth_router.delete(
    "/tokens/{token_id}",
    operation_id="shanghui_accounts_api_token_revoke",
    response={200: OkOut, **ERRORS},
)
def token_revoke(request: HttpRequest, token_id: int) -> object:
    tokens.api_token_revoke(user=signed_in_user(request), token_id=token_id)
    return {"ok": True}


@auth_router.post(
    "/password-reset/code",
    operation_id="shanghui_accounts_api_password_reset_code",
    auth=None,
    response={202: OkOut, 503: ErrorOut, **ERRORS},
)
def password_reset_code(request: HttpRequest, payload: PhoneIn) -> Status[object] | HttpResponse:
    """Sends a six-digit code by SMS when the number has an account (the answer is the same
    either way)."""
    try:
        signin.password_reset_request(phone=payload.phone)
    except NotSent:
        return error_response("sms_not_sent", status=503)
    return Status(202, {"ok": True})


@auth_router.post(
    "/password-reset/confirm",
    operation_id="shanghui_accounts_api_password_reset_confirm",
    auth=None,
    response={200: OkOut, **ERRORS},
)
def password_reset_confirm(request: HttpRequest, payload: PasswordResetIn) -> object:
    signin.password_reset_confirm(
        phone=payload.phone, code=payload.code, new_password=payload.new_password
    )
    return {"ok": True}
