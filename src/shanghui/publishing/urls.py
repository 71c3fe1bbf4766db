"""Namespace "publishing": news for members and visitors under /a/<association_slug>/news/
(an article for everyone is readable without signing in), the back office under
/a/<association_slug>/office/news/."""

from django.urls import path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.publishing import urls_announcements
from shanghui.publishing.feeds import public_news_feed
from shanghui.publishing.views import categories, office, reading, site, wechat

O = f"{OFFICE}news/"  # noqa: E741 - the back office prefix
OA = f"{O}<int:article_id>/"

app_name = "publishing"

urlpatterns = [
    # The public site (官网): for visitors also at /a/<slug>/ (members:home hands it over)
    path(f"{SPACE}site/", site.site_home, name="site_home"),
    path(f"{SPACE}site/banner/", site.site_banner, name="site_banner"),
    path(f"{SPACE}site/showcase/<int:member_id>/logo/", site.showcase_logo, name="showcase_logo"),
    path(f"{SPACE}sitemap.xml", site.site_sitemap, name="site_sitemap"),
    path(f"{SPACE}news/feed/", public_news_feed, name="news_feed"),
    path(f"{OFFICE}site/", site.office_site_settings, name="office_site_settings"),
    # Members on the phone, and visitors (public articles only)
    path(f"{SPACE}news/", reading.article_list, name="articles"),
    path(f"{SPACE}news/<int:article_id>/", reading.article, name="article"),
    path(f"{SPACE}news/images/<int:image_id>/picture/", reading.image, name="image"),
    # The back office
    path(O, office.article_list, name="office_articles"),
    path(f"{O}new/", office.article_new, name="office_article_new"),
    path(f"{O}import/", wechat.article_import, name="office_article_import"),
    path(f"{O}categories/", categories.category_list, name="office_categories"),
    path(f"{O}categories/<int:category_id>/", categories.category_edit, name="office_category"),
    path(
        f"{O}categories/<int:category_id>/delete/",
        categories.category_delete,
        name="office_category_delete",
    ),
    path(OA, office.article_edit, name="office_article"),
    path(f"{OA}preview/", office.article_preview, name="office_article_preview"),
    path(f"{OA}images/", office.image_upload, name="office_article_image"),
    *[
        path(
            f"{OA}{action}/",
            office.article_action,
            {"action": action},
            name=f"office_article_{action}",
        )
        for action in ("submit", "return", "publish", "unpublish", "pin", "unpin", "delete")
    ],
    path(
        f"{OA}revisions/<int:revision_id>/restore/",
        office.revision_restore,
        name="office_article_restore",
    ),
    # Announcements (通知公告): /notices/, /office/notices/
    *urls_announcements.urlpatterns,
]
