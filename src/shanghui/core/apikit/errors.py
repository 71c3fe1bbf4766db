"""One error format for every module:

    {"error": {"code": "validation_error", "message": "…", "fields": {"phone": ["…"]}}}

Messages are in the caller's language (Accept-Language / the person's chosen language)."""

import json
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

MESSAGES = {
    "not_found": lambda: _("未找到，或您无权访问"),
    "forbidden": lambda: _("您没有执行此操作的权限"),
    "unauthorized": lambda: _("请先登录"),
    "validation_error": lambda: _("提交的内容有误，请检查后重试"),
    "association_suspended": lambda: _("该商协会空间已暂停使用"),
    "invalid_credentials": lambda: _("手机号或密码错误"),
    "sign_in_code_required": lambda: _(
        "该手机号在当前网络连续输错密码，请用短信验证码登录，或 30 分钟后再试"
    ),
    "conflict": lambda: _("操作冲突，请刷新后重试"),
    "rate_limited": lambda: _("请求次数过多，请稍后再试"),
    "sms_not_sent": lambda: _("验证码短信未能发送（短信服务暂时不可用），请稍后重试。"),
    "server_error": lambda: _("服务器开小差了，请稍后重试；您的数据未被修改"),
}


def error_body(
    code: str, message: str = "", fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message or MESSAGES.get(code, lambda: code)()}
    if fields:
        body["fields"] = fields
    return {"error": body}


def error_response(
    code: str, *, status: int, message: str = "", fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    return HttpResponse(
        json.dumps(error_body(code, message, fields), ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )
