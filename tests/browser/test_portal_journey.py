"""A visitor finds an association on the platform portal by pinyin ("jx", then "jiangxi"),
opens its public site from the directory card and reads one of its articles — on a phone and
on a desktop, without signing in (issue 16 parts 4, 5 and 7)."""

import os
from pathlib import Path
from typing import Any

import pytest

from shanghui.accounts.models import Role
from shanghui.core.tenancy import tenant_context
from shanghui.publishing.services.articles import ArticleInput, article_create, article_publish
from shanghui.testing.factories import AssociationFactory
from shanghui.testing.fixtures import Side

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"{name}.png"), full_page=True)


def test_a_visitor_finds_the_association_by_pinyin_and_reads_its_news(
    live_server: Any, phone_page: Any, desktop_page: Any, side_a: Side, tmp_path: Path
) -> None:
    a = side_a.association
    a.introduction = "甲市江西商会由在甲市投资兴业的江西籍企业家组成。"
    a.icp_number = "赣ICP备20260002号"
    a.save()
    AssociationFactory(name="上海市浙江商会", short_name="上海浙江商会", slug="shzj")
    with tenant_context(a):
        role = Role.objects.get(association=a, user=side_a.admin)
        article = article_create(
            association=a,
            actor=side_a.admin,
            role=role,
            data=ArticleInput(
                title="甲市江西商会召开第五届会员大会",
                body="<p>大会选举产生了新一届理事会。</p>",
                audience="public",
            ),
        )
        article_publish(association=a, actor=side_a.admin, role=role, article=article)
    for name, page, query in (("phone", phone_page, "jx"), ("desktop", desktop_page, "jiangxi")):
        page.goto(f"{live_server.url}/")
        page.fill("input[name=q]", query)
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
        cards = page.locator(".assoc-card__name")
        assert cards.all_inner_texts() == [a.name], name
        shot(page, tmp_path, f"portal-{name}")
        page.click(f"text={a.name}")
        page.wait_for_load_state("load")
        assert page.url.rstrip("/").endswith(f"/a/{a.slug}")  # the public site, no sign-in
        text = page.inner_text("body")
        assert "江西籍企业家" in text and "赣ICP备20260002号" in text and "申请入会" in text
        shot(page, tmp_path, f"site-{name}")
        page.click("text=甲市江西商会召开第五届会员大会")
        page.wait_for_load_state("load")
        assert "大会选举产生了新一届理事会" in page.inner_text("main"), name
        shot(page, tmp_path, f"article-{name}")
