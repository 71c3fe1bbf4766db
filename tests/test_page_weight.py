"""Member pages stay light (issue 15.3): each member-facing page, loaded cold, weighs at most
150 KB compressed — its HTML plus every stylesheet, script, icon, font and picture the browser
fetches for it (and the files its stylesheets point at), each counted once.

Compression: gzip at level 6, Django's GZipMiddleware's level and the usual nginx
`gzip_comp_level`, for the HTML and every static file WhiteNoise compresses; WhiteNoise's own
precompressed copies (gzip -9, Brotli quality 11) are smaller, so the checked figure is an
upper bound of what a phone downloads. Brotli (quality 11, what the storage writes) is printed
beside it. Files WhiteNoise leaves alone (PNG, JPEG, WOFF2, …) count at their size. The test
settings serve static files unhashed, so each is found through the staticfiles finders and
compressed here. 1 KB = 1,024 bytes."""

import functools
import gzip
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from whitenoise.compress import Compressor

from shanghui.associations.services.associations import association_set_banner, banner_prepare
from shanghui.core.tenancy import tenant_context
from shanghui.events.models import CheckinList
from shanghui.events.services.events import calendar_settings_update
from shanghui.events.tests.factories import cover_set, make_event, register
from shanghui.members.services.members import member_set_showcase
from shanghui.members.services.pictures import member_logo_set, person_photo_set
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.pictures import photo_like

pytestmark = pytest.mark.django_db

BUDGET = 150 * 1024
GZIP_LEVEL = 6
# Every <link rel> a browser fetches while loading the page (apple-touch-icon only when a page
# is added to the home screen, but counted: it is cheap and the bound stays an upper one).
FETCHED_LINKS = {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "manifest"}
SRC_TAGS = {"script", "img", "source", "video", "audio", "iframe", "embed", "input"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.S)
UNCOMPRESSED = re.compile(
    r"\.({})$".format("|".join(map(re.escape, Compressor.SKIP_COMPRESS_EXTENSIONS))), re.I
)


class Sizes(NamedTuple):
    raw: int
    gzip: int  # what the budget is checked against
    brotli: int  # reported: what a browser accepting br gets from WhiteNoise


@functools.cache
def served_size(name: str, data: bytes) -> Sizes:
    """Bytes on the wire: compressed where WhiteNoise would compress the file (and only when
    that makes it smaller, as WhiteNoise keeps a compressed copy only then), else the file."""
    if UNCOMPRESSED.search(name):
        return Sizes(len(data), len(data), len(data))
    gzipped = len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))
    return Sizes(len(data), min(len(data), gzipped), min(len(data), len(brotli.compress(data))))


def css_references(css: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(css) if m.group(2) or m.group(4)]


class References(HTMLParser):
    """The URLs an HTML page makes the browser fetch, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and set(a.get("rel", "").lower().split()) & FETCHED_LINKS:
            self.urls.append(a.get("href", ""))
        fetches_src = tag != "input" or a.get("type") == "image"
        if tag in SRC_TAGS and a.get("src") and fetches_src:
            self.urls.append(a["src"])
        for candidate in a.get("srcset", "").split(","):
            if candidate.strip():
                self.urls.append(candidate.split()[0])
        if a.get("poster"):
            self.urls.append(a["poster"])
        self.urls.extend(css_references(a.get("style", "")))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(css_references(data))


def short(url: str) -> str:
    """A file's name, or for a picture served by a view its last path parts and size."""
    parts = urlsplit(url)
    name = posixpath.basename(parts.path.rstrip("/"))
    if parts.path.endswith("/"):  # /directory/42/logo/?size=thumb&v=…: "42/logo thumb"
        name = "/".join(parts.path.rstrip("/").split("/")[-2:])
        name += "".join(f" {size}" for size in parse_qs(parts.query).get("size", []))
    return name


@dataclass
class Weight:
    page: str
    html: Sizes
    files: dict[str, Sizes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def sum(self, kind: str) -> int:
        return sum(getattr(s, kind) for s in [self.html, *self.files.values()])

    @property
    def total(self) -> int:
        return self.sum("gzip")

    def line(self) -> str:
        parts = ", ".join(f"{short(u)} {s.gzip / 1024:.1f}" for u, s in self.files.items())
        kb = {kind: f"{self.sum(kind) / 1024:.1f}" for kind in Sizes._fields}
        return (
            f"{self.page:<18} {kb['gzip']:>6} KB gzip  {kb['brotli']:>6} KB br  "
            f"{kb['raw']:>6} KB raw  (HTML {self.html.gzip / 1024:.1f}; {parts})"
        )


def fetch(client: Client, url: str) -> tuple[bytes, str] | None:
    """The file at ``url`` (a path on this site) and a name to tell its type by. The query
    is asked for too: it picks a picture's size (``?size=thumb``)."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        return (Path(found).read_bytes(), found) if found else None
    response = client.get(f"{path}?{parts.query}" if parts.query else path)
    if response.status_code != 200:
        return None
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body, path


def weigh(client: Client, page: str, url: str, html: str | None = None) -> Weight:
    """Loads ``url`` cold with ``client`` (or weighs the given ``html`` as if served there)."""
    if html is None:
        response = client.get(url)
        assert response.status_code == 200, f"{page}: {url} answered {response.status_code}"
        html = response.content.decode()
    weight = Weight(page, served_size("page.html", html.encode()))
    parser = References()
    parser.feed(html)
    base = urljoin("http://testserver", url)
    queue = [urljoin(base, ref) for ref in parser.urls]
    while queue:
        ref = queue.pop(0)
        if ref.startswith("data:") or ref in weight.files:
            continue
        if urlsplit(ref).netloc not in {"", "testserver"}:
            weight.problems.append(f"loads from another host: {ref}")
            continue
        got = fetch(client, ref)
        if got is None:
            weight.problems.append(f"not found: {ref}")
            continue
        data, name = got
        weight.files[ref] = served_size(name, data)
        if name.endswith(".css"):
            for inner in css_references(data.decode()):
                if not inner.startswith(("data:", "#")):
                    queue.append(urljoin(ref, inner))
    return weight


@dataclass
class Site:
    side: Side
    member: Client
    admin: Client
    guest: Client
    event_id: int
    checkin_list_id: int


# Members on the directory's first page (of 30) with a logo: a photo of the shop front or a
# logo that compresses like one, as uploaded (600 px JPEG, ~60 KB each).
LOGOS = 30
# Enterprises shown on the association's public site (its home shows up to 12).
SHOWCASED = 12


def picture(seed: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", photo_like(seed))


@pytest.fixture
def site(side_a: Side) -> Site:
    """Association A with a full first page of the directory, every member on it with a
    photo-like logo, an event with a photograph for its cover that the member holds a ticket
    for, and its check-in list; the member's own card has a logo and a representative's
    photo."""
    a = side_a.association
    admin = side_a.admin
    members = [MemberFactory(association=a, name=f"测试企业{n:02d}有限公司") for n in range(40)]
    with tenant_context(a):
        for n, member in enumerate(members[:LOGOS]):
            member_logo_set(association=a, actor=admin, member=member, upload=picture(n))
        member_logo_set(association=a, actor=admin, member=side_a.member, upload=picture(98))
        person_photo_set(association=a, actor=admin, person=side_a.person, upload=picture(99))
    event = make_event(a, side_a.admin, description="<p>议程</p><ul><li>签到</li></ul>")
    # a photograph as uploaded, kept at 1600 px
    cover_set(event, side_a.admin, photo_like(97, side=1600, height=900))
    register(a, event, side_a.member_user)
    with tenant_context(a):
        hall = CheckinList.objects.get(event=event)
        # The public site as the demo has it: a photographed banner, a dozen showcased
        # enterprises with their logos, the public calendar and the chart published.
        banner = SimpleUploadedFile("banner.jpg", photo_like(96, side=1600, height=600))
        stored = banner_prepare(banner, association=a, actor=admin)
        association_set_banner(actor=admin, association=a, picture=stored)
        a.showcase_enabled = True
        a.save(update_fields=["showcase_enabled"])
        for member in members[:SHOWCASED]:
            member_set_showcase(association=a, actor=admin, member=member, showcase=True)
        calendar_settings_update(association=a, actor=admin, publish_calendar=True)
    return Site(
        side_a,
        client_for(side_a.member_user),
        client_for(side_a.admin),
        Client(),
        event.pk,
        hall.pk,
    )


def member_pages(site: Site) -> Iterator[tuple[str, Client, str]]:
    """(name, who looks, URL) of every member-facing page: the mobile shell's pages, the
    join page and the public home."""
    slug = {"association_slug": site.side.association.slug}
    event = {**slug, "event_id": site.event_id}
    member = site.member
    yield "platform portal", site.guest, reverse("site:home")
    yield "association site", site.guest, reverse("members:home", kwargs=slug)
    yield "join (apply)", site.guest, reverse("members:member_apply", kwargs=slug)
    yield "space home", member, reverse("members:home", kwargs=slug)
    yield "directory", member, reverse("members:directory", kwargs=slug)
    card = {**slug, "member_id": site.side.member.pk}
    yield "member card", member, reverse("members:member_card", kwargs=card)
    yield "my card", member, reverse("members:my_card", kwargs=slug)
    yield "events", member, reverse("events:list", kwargs=slug)
    yield "my events", member, reverse("events:mine", kwargs=slug)
    yield "event detail", member, reverse("events:event", kwargs=event)
    yield "ticket", member, reverse("events:ticket", kwargs=event)
    yield "inbox (notices)", member, reverse("events:notices", kwargs=slug)
    yield "my dues", member, reverse("dues:my_dues", kwargs=slug)
    yield "personal center", member, reverse("accounts:space_me", kwargs=slug)
    yield "account", member, reverse("accounts:me")
    scan = {**event, "list_id": site.checkin_list_id}
    yield "check-in scanner", site.admin, reverse("events:office_checkin", kwargs=scan)


def report(weights: list[Weight]) -> str:
    return "\n".join(w.line() for w in weights)


def test_every_member_page_stays_within_the_budget(site: Site, capsys: Any) -> None:
    weights = [weigh(client, page, url) for page, client, url in member_pages(site)]
    [directory] = [w for w in weights if w.page == "directory"]
    assert sum("/logo/" in u for u in directory.files) == LOGOS  # the logos are counted
    [public] = [w for w in weights if w.page == "association site"]
    assert sum("/logo/" in u for u in public.files) == SHOWCASED
    assert any("/banner/" in u for u in public.files)
    [event] = [w for w in weights if w.page == "event detail"]
    assert any("/cover/" in u for u in event.files)
    with capsys.disabled():
        print(f"\ncompressed page weights (gzip -{GZIP_LEVEL}, cold):\n{report(weights)}")
    assert [p for w in weights for p in w.problems] == [], report(weights)
    heavy = [w.page for w in weights if w.total > BUDGET]
    assert heavy == [], f"over {BUDGET // 1024} KB:\n{report(weights)}"


def test_only_the_pages_that_need_them_load_charts_and_the_scanner(site: Site, capsys: Any) -> None:
    for page, client, url in member_pages(site):
        loaded = " ".join(weigh(client, page, url).files)
        assert "echarts" not in loaded, page
        assert ("jsqr" in loaded.lower()) == (page == "check-in scanner"), page
        vendored = [u for u in loaded.split() if "/vendor/" in u]
        assert all(".min." in u for u in vendored), page
    dashboard = reverse("site:office_dashboard", kwargs={"association_slug": "jiashi"})
    office = weigh(site.admin, "dashboard", dashboard)
    with capsys.disabled():
        print(f"\nthe back office's dashboard (no budget):\n{office.line()}")
    charts = [u for u in office.files if "echarts" in u]
    # The dashboard draws bar and line charts with tooltips in SVG: the prebuilt "common"
    # bundle has them, the full bundle (a third larger) is not needed.
    assert [posixpath.basename(u) for u in charts] == ["echarts.common.min.js"]


def test_the_weighing_counts_what_a_page_loads(site: Site) -> None:
    """A page that linked the full chart bundle would be over the budget, and a stylesheet's
    own url() files are counted with it."""
    client = site.member
    static = settings.STATIC_URL
    html = (
        f'<link rel="stylesheet" href="{static}shanghui/mobile.css">'
        f'<style>.x{{background:url("{static}shanghui/favicon-32.png")}}</style>'
        f'<script src="{static}vendor/echarts/echarts.common.min.js"></script>'
        f'<img src="{static}shanghui/apple-touch-icon.png" srcset="{static}nothing.png 2x">'
        '<script src="https://cdn.example.com/x.js"></script>'
    )
    weight = weigh(client, "made up", "/a/jiashi/", html=html)
    assert weight.total > BUDGET
    assert {posixpath.basename(u) for u in weight.files} == {
        "mobile.css",
        "favicon-32.png",
        "echarts.common.min.js",
        "apple-touch-icon.png",
    }
    assert weight.files[f"http://testserver{static}shanghui/favicon-32.png"].gzip == 1457
    assert weight.problems == [
        f"not found: http://testserver{static}nothing.png",
        "loads from another host: https://cdn.example.com/x.js",
    ]
