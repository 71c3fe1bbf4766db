"""An article's journey with stored-XSS payloads: a staff editor writes it — typing
``<script>`` and ``onerror=`` as text, while a hostile client also slips them into the posted
HTML — and submits it; the administrator reviews and publishes it to members; a member reads
it on the phone: no script runs, no dialog opens, the words survive; the editor then sees the
member among the readers."""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from shanghui.accounts.models import Role, User
from shanghui.core.tenancy import tenant_context
from shanghui.publishing.models import Article
from shanghui.testing.factories import PASSWORD, RoleFactory, UserFactory
from shanghui.testing.fixtures import Side
from shanghui.testing.pictures import photo_like
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "<script>alert(1)</script> 与 <img src=x onerror=alert(1)>"
HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(1)"><p onmouseover="alert(1)">悬停</p>'
)


def sign_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_phone", user.phone)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


@pytest.fixture
def pages(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_page(**options: Any) -> Any:
        context = browser.new_context(locale="zh-CN", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_editor_writes_reviewer_publishes_member_reads_safely(
    live_server: Any, pages: Any, side_a: Side, privacy_notice: None
) -> None:
    base, slug, a = live_server.url, side_a.association.slug, side_a.association
    with tenant_context(a):
        clerk = UserFactory(name="宣传干事小刘")
        RoleFactory(association=a, user=clerk, kind=Role.Kind.STAFF)
    desktop = {"viewport": {"width": 1366, "height": 900}}

    # The editor writes and submits.
    editor = pages(**desktop)
    sign_in(editor, base, clerk)
    editor.goto(f"{base}/a/{slug}/office/news/new/")
    editor.fill("#id_title", "关于召开会员座谈会的通知")
    content = editor.locator(".rt-editor .pell-content")
    content.click()
    editor.keyboard.type("欢迎各位会员参加座谈会。")
    editor.keyboard.press("Enter")
    editor.keyboard.type(TYPED)
    editor.select_option("#id_audience", "members")
    # A hostile client: after the editor's own submit handler, the posted HTML gets payloads.
    editor.evaluate(
        """(hostile) => {
          const form = document.querySelector('#article-form');
          form.addEventListener('submit', () => {
            form.querySelector('textarea[name=body]').value += hostile;
          });
        }""",
        HOSTILE,
    )
    editor.click("#save-article")
    editor.wait_for_url(re.compile(r"/office/news/\d+/$"))
    edit_url = editor.url
    editor.click("#submit-review")
    editor.wait_for_load_state("load")
    assert editor.locator("#article-status").inner_text() == "待审核"
    with tenant_context(a):
        article = Article.objects.get(association=a, title="关于召开会员座谈会的通知")
    # No tag but paragraphs; the typed payloads are text (escaped), the posted ones are gone.
    assert set(re.findall(r"</?([a-z]+)", article.body)) == {"p"}, article.body
    assert not re.search(r"<[^>]*\son[a-z]+=", article.body)
    assert "&lt;script&gt;" in article.body

    # The administrator reviews and publishes it to members.
    reviewer = pages(**desktop)
    sign_in(reviewer, base, side_a.admin)
    reviewer.goto(f"{base}/a/{slug}/office/news/")
    reviewer.click("#waiting-review + a")
    reviewer.click("text=关于召开会员座谈会的通知")
    reviewer.click("#publish")
    reviewer.wait_for_load_state("load")
    assert reviewer.locator("#article-status").inner_text() == "已发布"

    # A member reads it on the phone: no dialog, no script; the words survive.
    member = pages(viewport=PHONE, is_mobile=True, has_touch=True)
    dialogs: list[str] = []
    member.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(member, base, side_a.member_user)
    member.goto(f"{base}/a/{slug}/news/")
    member.click("text=关于召开会员座谈会的通知")
    body = member.locator("#article-body")
    body.wait_for()
    text = body.inner_text()
    assert "欢迎各位会员参加座谈会。" in text
    assert "<script>alert(1)</script>" in text and "onerror=alert(1)" in text
    assert "悬停" in text
    member.hover("#article-body")
    member.locator("#article-body p").last.hover()
    assert body.locator("script, img").count() == 0
    assert dialogs == []

    # The editor sees the member among the readers.
    editor.goto(edit_url)
    readers = editor.locator("#readers")
    assert side_a.member_user.name in readers.inner_text()
    assert editor.locator("#reader-count").inner_text() == "1"


def test_an_uploaded_picture_survives_the_editor(
    live_server: Any, pages: Any, side_a: Side, privacy_notice: None, tmp_path: Any
) -> None:
    base, slug, a = live_server.url, side_a.association.slug, side_a.association
    picture = tmp_path / "photo.jpg"
    picture.write_bytes(photo_like(9, side=1200, height=800))
    desk = pages(viewport={"width": 1366, "height": 900})
    sign_in(desk, base, side_a.admin)
    desk.goto(f"{base}/a/{slug}/office/news/new/")
    desk.fill("#id_title", "会员企业新厂房落成")
    desk.locator(".rt-editor .pell-content").click()
    desk.keyboard.type("新厂房占地五十亩。")
    desk.click("#save-article")
    desk.wait_for_url(re.compile(r"/office/news/\d+/$"))
    desk.set_input_files("#id_image", str(picture))
    desk.click("#upload-image")
    desk.wait_for_load_state("load")
    content = desk.locator(".rt-editor .pell-content img")
    content.wait_for()
    desk.click("#save-article")
    desk.wait_for_load_state("load")
    with tenant_context(a):
        article = Article.objects.get(association=a, title="会员企业新厂房落成")
    assert re.search(r'<img src="/a/[^"]+/news/images/\d+/picture/\?v=\w+"', article.body), (
        article.body
    )
    assert (
        desk.evaluate("() => document.querySelector('.rt-editor .pell-content img').naturalWidth")
        == 750
    )
