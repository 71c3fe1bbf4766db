"""The sidebar's and tab bar's URLs are reversed once per process (``site.context_processors``):
the cached URL still follows what ``reverse`` would give — another association, another
script prefix (the app served under a path)."""

from django.urls import reverse, set_script_prefix

from shanghui.site.context_processors import _url


def test_a_cached_url_is_the_one_reverse_gives() -> None:
    name = "members:office_members"
    assert _url(name, "jiashi") == reverse(name, kwargs={"association_slug": "jiashi"})
    assert _url(name, "yishi") == "/a/yishi/office/members/"
    set_script_prefix("/shanghui/")
    try:
        assert _url(name, "yishi") == "/shanghui/a/yishi/office/members/"
    finally:
        set_script_prefix("/")
    assert _url(name, "yishi") == "/a/yishi/office/members/"
