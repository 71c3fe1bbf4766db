"""One money parser at every door: exact to the fen or refused with a clear message; and
the short display never shows 10000万."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from shanghui.core.money import format_cny_short, parse_cny
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Level
from shanghui.testing.fixtures import Side, api_client_for


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("5000", "5000.00"),
        ("5,000.50", "5000.50"),
        ("¥5000", "5000.00"),
        ("５０００元", "5000.00"),  # full-width digits from a Chinese input method
        ("10.10", "10.10"),
        (Decimal("12.5"), "12.50"),
        (12.5, "12.50"),
    ],
)
def test_amounts_as_typed(typed: object, amount: str) -> None:
    assert parse_cny(typed) == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("10.005", "两位小数"),
        (10.005, "两位小数"),
        ("1e3", "科学计数法"),
        ("1e20", "金额过大"),
        (1e20, "金额过大"),
        ("-5", "负数"),
        ("0", "大于 0"),
        ("1,00", "有效的金额"),
        ("NaN", "有效的金额"),
        (True, "有效的金额"),
    ],
)
def test_amounts_refused_with_the_reason(typed: object, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_cny(typed, field="fee")
    assert message in refused.value.message_dict["fee"][0]


def test_the_unit_boundary_shows_the_next_unit() -> None:
    assert format_cny_short(Decimal("99999999.99")) == "¥1亿"
    assert format_cny_short(Decimal("99994999.99")) == "¥9999.5万"
    assert format_cny_short(Decimal("9999.995")) == "¥1万"


@pytest.mark.django_db
@pytest.mark.parametrize("fee", [1e20, "1e20", "10.005", "1e3", -1])
def test_a_level_fee_the_parser_refuses_changes_nothing(side_a: Side, fee: object) -> None:
    """Once, {"annual_fee": 1e20} was accepted and every page loading levels answered 500."""
    client = api_client_for(side_a.admin)
    base = f"/api/v1/associations/{side_a.association.slug}"
    with tenant_context(side_a.association):
        before = list(Level.objects.values_list("pk", "annual_fee"))
    response = client.post(
        f"{base}/levels",
        {"name": "荣誉会长", "rank": 1, "annual_fee": fee},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]["annual_fee"]
    with tenant_context(side_a.association):
        assert list(Level.objects.values_list("pk", "annual_fee")) == before
    assert client.get(f"{base}/levels").status_code == 200


@pytest.mark.django_db
def test_the_level_form_refuses_a_fee_with_three_decimals(side_a: Side, admin_a: Client) -> None:
    page = f"/a/{side_a.association.slug}/office/levels/"
    response = admin_a.post(
        page, {"save_level": "1", "name": "荣誉会长", "rank": "1", "annual_fee": "10.005"}
    )
    assert response.status_code == 200
    assert "两位小数" in response.content.decode()
    with tenant_context(side_a.association):
        assert not Level.objects.filter(name="荣誉会长").exists()


@pytest.mark.django_db
def test_an_overlong_level_name_is_refused_not_a_500(side_a: Side) -> None:
    client = api_client_for(side_a.admin)
    response = client.post(
        f"/api/v1/associations/{side_a.association.slug}/levels",
        {"name": "长" * 31, "rank": 2, "annual_fee": 100},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]["name"] == ["级别名称最多 30 个字"]
