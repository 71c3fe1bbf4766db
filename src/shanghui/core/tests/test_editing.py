"""A service behind a form or a button: its refusal shows on the form or as an error message."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from shanghui.core.editing import act, submit


class NameForm(forms.Form):
    name = forms.CharField()


def _request(method: str, data: dict[str, str] | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _refuse() -> None:
    raise ValidationError({"name": "重名了"})


def test_submit_runs_the_service_only_for_a_valid_post() -> None:
    ran: list[str] = []
    get = _request("GET")
    assert not submit(get, NameForm(None), lambda: ran.append("x"), "已保存")
    post = _request("POST", {"name": "甲"})
    form = NameForm(post.POST)
    assert submit(post, form, lambda: ran.append(form.cleaned_data["name"]), lambda: "已添加 甲")
    assert ran == ["甲"]
    assert [str(m) for m in get_messages(post)] == ["已添加 甲"]


def test_a_refused_service_shows_on_the_form_or_as_an_error() -> None:
    post = _request("POST", {"name": "甲"})
    form = NameForm(post.POST)
    assert not submit(post, form, _refuse, "已保存")
    assert form.errors["name"] == ["重名了"]
    assert not act(post, _refuse, "已删除")
    assert [(m.level_tag, str(m)) for m in get_messages(post)] == [("error", "重名了")]
