"""Applying through the page and the API, and the operator's console: the licence scan is the
operator's to read only; approving opens the applicant's back office."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shanghui.providers.models import Provider
from shanghui.testing.factories import UserFactory, make_uscc
from shanghui.testing.fixtures import Side, api_client_for, client_for


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "深圳仁和医院",
        "category": "medical",
        "uscc": make_uscc("52"),
        "licence_number": "PDY12345644030317A1001",
        "region_code": "440000",
        "region_code_city": "440300",
        "contact_name": "王主任",
        "contact_phone": "13800138000",
        "licence": SimpleUploadedFile("许可证.pdf", b"%PDF-1.4 clinic", "application/pdf"),
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_apply_then_the_operator_approves_and_the_back_office_opens(side_a: Side) -> None:
    applicant = client_for(side_a.member_user)
    assert applicant.get("/providers/apply/").status_code == 200
    response = applicant.post("/providers/apply/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = Provider.objects.get(name="深圳仁和医院")
    assert provider.region_code == "440300"
    assert "待审核" in applicant.get("/providers/apply/done/").content.decode()
    # Not yet approved: no back office; nobody but an operator sees the console or licence.
    assert applicant.get(f"/p/{provider.slug}/").status_code == 404
    for url in (
        "/platform/providers/",
        f"/platform/providers/{provider.pk}/",
        f"/platform/providers/{provider.pk}/licence/",
    ):
        assert applicant.get(url).status_code == 404
        assert client_for(side_a.admin).get(url).status_code == 404
    operator = client_for(UserFactory(is_platform_operator=True))
    assert "深圳仁和医院" in operator.get("/platform/providers/").content.decode()
    licence = operator.get(f"/platform/providers/{provider.pk}/licence/")
    assert b"".join(licence.streaming_content) == b"%PDF-1.4 clinic"  # type: ignore[attr-defined]
    decided = operator.post(
        f"/platform/providers/{provider.pk}/decide/", {"decision": "approve", "reason": ""}
    )
    assert decided.status_code == 302
    assert applicant.get(f"/p/{provider.slug}/").status_code == 200
    assert "我的服务商后台：深圳仁和医院" in applicant.get("/me/").content.decode()
    assert "进入服务商后台" in applicant.get("/providers/apply/done/").content.decode()
    operator.post(
        f"/platform/providers/{provider.pk}/decide/", {"decision": "suspend", "reason": "违规"}
    )
    assert applicant.get(f"/p/{provider.slug}/").status_code == 404


@pytest.mark.django_db
def test_reject_shows_the_reason_and_a_bad_form_is_refused(side_a: Side) -> None:
    applicant = client_for(side_a.member_user)
    refused = applicant.post("/providers/apply/", _form(uscc="123"))
    assert refused.status_code == 200
    assert "统一社会信用代码无效" in refused.content.decode()
    applicant.post("/providers/apply/", _form())
    provider = Provider.objects.get()
    operator = client_for(UserFactory(is_platform_operator=True))
    empty = operator.post(f"/platform/providers/{provider.pk}/decide/", {"decision": "reject"})
    assert empty.status_code == 200
    operator.post(
        f"/platform/providers/{provider.pk}/decide/",
        {"decision": "reject", "reason": "许可证已过期"},
    )
    assert "许可证已过期" in applicant.get("/providers/apply/done/").content.decode()


@pytest.mark.django_db
def test_apply_through_the_api(side_a: Side) -> None:
    api = api_client_for(side_a.member_user)
    data = {k: v for k, v in _form().items() if k not in {"licence", "region_code_city"}}
    data["region_code"] = "440300"
    data["licence"] = io.BytesIO(b"%PDF-1.4 api")
    data["licence"].name = "licence.pdf"  # type: ignore[attr-defined]
    created = api.post("/api/v1/providers/applications", data)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending"
    listed = api.get("/api/v1/providers/applications").json()
    assert [row["name"] for row in listed] == ["深圳仁和医院"]
    data["licence"] = io.BytesIO(b"%PDF-1.4 api")
    data["licence"].name = "licence.pdf"  # type: ignore[attr-defined]
    again = api.post("/api/v1/providers/applications", data)
    assert again.status_code == 400
    assert Client().post("/api/v1/providers/applications", {}).status_code == 401
