"""The cascading province › city › county picker (core.forms.RegionSelect) and the small
public endpoint that fills it."""

import pytest
from django import forms
from django.test import Client

from shanghui.core.forms import RegionField


class PlaceForm(forms.Form):
    hometown = RegionField(label="籍贯")


def chosen(data: dict[str, str]) -> str:
    form = PlaceForm(data)
    assert form.is_valid(), form.errors
    return str(form.cleaned_data["hometown"])


def test_the_value_is_the_deepest_choice_that_belongs_to_the_one_above() -> None:
    assert chosen({"hometown": "360000", "hometown_city": "360700"}) == "360700"
    assert (
        chosen({"hometown": "360000", "hometown_city": "360700", "hometown_county": "360731"})
        == "360731"
    )
    # A district of a municipality sits right under it.
    assert chosen({"hometown": "110000", "hometown_city": "110105"}) == "110105"
    # The province changed without JavaScript: the old province's city is left behind.
    assert chosen({"hometown": "440000", "hometown_city": "360700"}) == "440000"
    assert chosen({"hometown": "360000", "hometown_city": "", "hometown_county": "360731"}) == (
        "360000"
    )
    # A code sent alone (an older form, a script) is taken as it is.
    assert chosen({"hometown": "360731"}) == "360731"
    assert chosen({"hometown": ""}) == ""


def test_the_picker_shows_the_stored_code_chosen_at_every_level() -> None:
    html = str(PlaceForm(initial={"hometown": "360731"})["hometown"])
    assert '<select name="hometown" id="id_hometown"' in html
    assert '<option value="360000" selected>江西省</option>' in html
    assert '<option value="360700" selected>赣州市</option>' in html
    assert '<option value="360731" selected>于都县</option>' in html
    assert '<option value="360781">瑞金市</option>' in html  # its neighbours, to change it
    assert 'aria-label="市/区"' in html and 'aria-label="区/县"' in html
    assert 'data-sh-region="/regions/000000/?lang=zh-hans"' in html

    empty = str(PlaceForm()["hometown"])
    assert empty.count("<select") == 3 and empty.count(" hidden>") == 2


def test_a_stored_code_no_longer_in_the_data_is_not_silently_dropped() -> None:
    html = str(PlaceForm(initial={"hometown": "360799"})["hometown"])
    assert '<option value="360799" selected>360799（代码无效，请重新选择）</option>' in html


@pytest.mark.django_db
def test_the_endpoint_lists_children_for_anyone_and_may_be_cached() -> None:
    response = Client().get("/regions/360700/")
    assert response.status_code == 200
    names = {item["code"]: item["name"] for item in response.json()["children"]}
    assert names["360731"] == "于都县" and len(names) == 18
    assert "于都县".encode() in response.content  # UTF-8, not \u escapes
    assert response["Cache-Control"] == "public, max-age=86400"
    assert "Set-Cookie" not in response

    assert Client().get("/regions/360731/").json() == {"children": []}  # a county: a leaf
    provinces = Client().get("/regions/110000/").json()["children"]
    assert {"code": "110105", "name": "朝阳区"} in provinces
    for bad in ("999999", "36070", "abcdef", "360700x"):
        refused = Client().get(f"/regions/{bad}/")
        assert refused.status_code == 404 and refused.json() == {"children": []}, bad
        assert refused["Cache-Control"] == "private, no-store"
