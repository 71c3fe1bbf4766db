"""The secretariat's review of an application: one form per decision (13.30). Approval stands
alone, asking for more has its own text box, and the rejection with its reason sits apart."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shanghui.core.tenancy import tenant_context
from shanghui.members.models import MembershipApplication
from shanghui.members.services import applications
from shanghui.members.services.applications import ApplicationInput
from shanghui.testing.factories import make_uscc
from shanghui.testing.fixtures import Side


@dataclass
class Form:
    classes: list[str]  # of the form and every element around it
    buttons: list[str] = field(default_factory=list)  # the ``decision`` values
    text_boxes: list[str] = field(default_factory=list)  # textarea names
    text: str = ""


class FormReader(HTMLParser):
    """The POST forms of a page, each with its buttons, text boxes, text and the classes of
    the elements that hold it."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.open: list[tuple[str, list[str]]] = []
        self.current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "form" and (values.get("method") or "").lower() == "post":
            around = [c for _tag, held in self.open for c in held]
            self.current = Form(classes=around + classes)
            self.forms.append(self.current)
        elif self.current is not None and tag == "button":
            self.current.buttons.append(values.get("value") or "")
        elif self.current is not None and tag == "textarea":
            self.current.text_boxes.append(values.get("name") or "")
        if tag not in {"input", "br", "img", "meta", "link", "hr"}:
            self.open.append((tag, classes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.text += data


def review_forms(page: str) -> dict[str, Form]:
    reader = FormReader()
    reader.feed(page)
    found: dict[str, Form] = {}
    for form in reader.forms:
        for decision in form.buttons:
            if decision in {"approve", "request_info", "reject"}:
                found[decision] = form
    return found


def file_application(side: Side) -> MembershipApplication:
    a = side.association
    data = ApplicationInput(
        kind="enterprise",
        name="抚州市临川才子文化传媒有限公司",
        uscc=make_uscc("91", "361002"),
        applicant_name="单国强",
        applicant_phone="13622224444",
        accept_privacy=True,
    )
    licence = SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4 licence", "application/pdf")
    with tenant_context(a):
        return applications.application_submit(association=a, data=data, licence=licence)


@pytest.mark.django_db
def test_each_decision_is_its_own_form(side_a: Side, admin_a: Client) -> None:
    filed = file_application(side_a)
    url = f"/a/{side_a.association.slug}/office/applications/{filed.pk}/"
    forms = review_forms(admin_a.get(url).content.decode())

    approve, ask, reject = forms["approve"], forms["request_info"], forms["reject"]
    assert len({id(approve), id(ask), id(reject)}) == 3, "one form per decision"
    assert approve.buttons == ["approve"] and approve.text_boxes == []
    assert ask.buttons == ["request_info"] and ask.text_boxes == ["request"]
    assert reject.buttons == ["reject"] and reject.text_boxes == ["reason"]
    assert "danger-zone" in reject.classes and "danger-zone" not in approve.classes


@pytest.mark.django_db
def test_a_refused_decision_shows_its_error_in_its_own_form(side_a: Side, admin_a: Client) -> None:
    filed = file_application(side_a)
    url = f"/a/{side_a.association.slug}/office/applications/{filed.pk}/"

    # A rejection without a reason (the request box of the other form filled in): refused,
    # with the message in the rejection's form, and nothing sent or changed.
    response = admin_a.post(url, {"decision": "reject", "request": "请补充近三年财务报表"})
    forms = review_forms(response.content.decode())
    assert "请填写驳回理由" in forms["reject"].text
    assert "请填写驳回理由" not in forms["request_info"].text + forms["approve"].text
    filed.refresh_from_db()
    assert filed.status == MembershipApplication.Status.SUBMITTED

    response = admin_a.post(url, {"decision": "request_info", "reason": "材料不全"})
    forms = review_forms(response.content.decode())
    assert "请写明需要补充的资料" in forms["request_info"].text
    assert "请写明需要补充的资料" not in forms["reject"].text
    filed.refresh_from_db()
    assert filed.status == MembershipApplication.Status.SUBMITTED

    # Each form's own text is what its decision records.
    response = admin_a.post(url, {"decision": "request_info", "request": "请补充营业执照副本"})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == MembershipApplication.Status.NEEDS_INFO
    assert filed.info_request == "请补充营业执照副本" and filed.decision_reason == ""
    response = admin_a.post(url, {"decision": "reject", "reason": "不符合本会入会条件"})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == MembershipApplication.Status.REJECTED
    assert filed.decision_reason == "不符合本会入会条件"


@pytest.mark.django_db
def test_deciding_a_decided_application_says_so(side_a: Side, admin_a: Client) -> None:
    filed = file_application(side_a)
    url = f"/a/{side_a.association.slug}/office/applications/{filed.pk}/"
    assert admin_a.post(url, {"decision": "approve"}).status_code == 302
    # A second tab still showing the review: the page answers, the decision is not repeated.
    response = admin_a.post(url, {"decision": "approve"}, follow=True)
    page = response.content.decode()
    assert "该申请已处理" in page and "已通过" in page
    assert review_forms(page) == {}
