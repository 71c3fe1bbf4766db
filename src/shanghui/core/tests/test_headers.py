"""Response headers (core/headers.py): the Content-Security-Policy with a nonce per response,
no inline handlers or un-nonced scripts in any template, Cache-Control on personal answers,
and __Host- cookie names in production."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from shanghui.accounts.services.tokens import api_token_create
from shanghui.core.tenancy import tenant_context
from shanghui.events import feeds
from shanghui.events.services import events as event_services
from shanghui.events.services import registration as registration_services
from shanghui.events.tests.factories import make_event
from shanghui.events.views.public import SESSION_KEY
from shanghui.testing.fixtures import Side

ROOT = Path(__file__).resolve().parents[4]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{22,})'")


def policy_nonce(response: object) -> str:
    policy = response["Content-Security-Policy"]  # type: ignore[index]
    found = NONCE.search(policy)
    assert found, policy
    return found.group(1)


def scripts_that_would_not_run(html: str, nonce: str) -> list[str]:
    """Script tags of a page that the policy would block: anything not loaded from our own
    origin, not a JSON data block and not holding this response's nonce."""
    blocked = []
    for match in SCRIPT_TAG.finditer(html):
        attributes = match.group(1)
        source = re.search(r'\ssrc="([^"]*)"', attributes)
        if source:
            if not source.group(1).startswith("/static/"):
                blocked.append(match.group(0))
        elif re.search(r'\stype="application/json"', attributes):
            continue
        elif f'nonce="{nonce}"' not in attributes:
            blocked.append(match.group(0))
    return blocked


@pytest.mark.django_db
def test_pages_carry_a_policy_whose_fresh_nonce_their_inline_scripts_hold(
    side_a: Side, member_a: Client
) -> None:
    card = f"/a/{side_a.association.slug}/directory/{side_a.member.pk}/"
    first, second = member_a.get(card), member_a.get(card)
    assert first.status_code == second.status_code == 200
    nonce = policy_nonce(first)
    assert nonce != policy_nonce(second)
    html = first.content.decode()
    # The card's share script is inline: it runs because it holds this response's nonce.
    assert f'<script nonce="{nonce}">' in html
    assert scripts_that_would_not_run(html, nonce) == []
    assert scripts_that_would_not_run(html, policy_nonce(second)) != []


@pytest.mark.django_db
def test_the_policy_runs_no_inline_handlers_eval_or_foreign_content(
    side_a: Side, admin_a: Client
) -> None:
    for path in ["/", "/login/", f"/a/{side_a.association.slug}/office/", "/api/v1/docs"]:
        response = (admin_a if "office" in path else Client()).get(path)
        assert response.status_code == 200, path
        directives = dict(
            [*part.split(" ", 1), ""][:2]
            for part in response["Content-Security-Policy"].split("; ")
        )
        assert directives["default-src"] == "'self'"
        script_src = directives["script-src"]
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, path
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["base-uri"] == directives["form-action"] == "'self'"
        assert scripts_that_would_not_run(response.content.decode(), policy_nonce(response)) == []
    # htmx is told not to eval, not to run scripts it swaps in, nor to add its own <style>.
    page = Client().get("/login/").content.decode()
    assert '"allowEval":false' in page and '"allowScriptTags":false' in page
    assert '"includeIndicatorStyles":false' in page


def template_files() -> list[Path]:
    package = Path(settings.PACKAGE_DIR)
    return sorted(package.glob("templates/**/*.html")) + sorted(
        package.glob("*/templates/**/*.html")
    )


COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)
INLINE_HANDLER = re.compile(r"\s((?:data-)?hx-on[:\w-]*|on[a-z]+)\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE)
NONCE_ATTRIBUTE = 'nonce="{{ request.csp_nonce }}"'


def test_no_template_has_inline_handlers_or_scripts_without_the_nonce() -> None:
    """The policy would silently break these: a handler never runs, an inline script without
    the nonce is refused. Move handlers to static JS (app.js has data-confirm,
    data-sh-autosubmit, data-sh-select); give inline scripts the nonce."""
    files = template_files()
    assert len(files) > 100
    problems = []
    for path in files:
        text = COMMENT.sub("", path.read_text(encoding="utf-8"))
        name = path.relative_to(settings.PACKAGE_DIR)
        problems += [f"{name}: {m.group(1)}=" for m in INLINE_HANDLER.finditer(text)]
        problems += [f"{name}: javascript: URL" for _ in JAVASCRIPT_URL.finditer(text)]
        for match in SCRIPT_TAG.finditer(text):
            attributes = match.group(1)
            if re.search(r'\ssrc="\{% static ', attributes):
                continue
            if 'type="application/json"' in attributes or NONCE_ATTRIBUTE in attributes:
                continue
            problems.append(f"{name}: {match.group(0)}")
    assert problems == []


def test_the_template_scan_finds_what_it_looks_for() -> None:
    page = '<select onchange="this.form.submit()"><a hx-on:click="x" href="javascript:go()">'
    assert [m.group(1) for m in INLINE_HANDLER.finditer(page)] == ["onchange", "hx-on:click"]
    assert JAVASCRIPT_URL.search(page)
    assert SCRIPT_TAG.search("<script>alert(1)</script>")


@pytest.mark.django_db
def test_personal_pages_and_api_answers_are_never_stored(side_a: Side, member_a: Client) -> None:
    slug = side_a.association.slug
    for path in ["/me/", f"/a/{slug}/directory/", f"/a/{slug}/directory/{side_a.member.pk}/"]:
        assert member_a.get(path)["Cache-Control"] == "private, no-store", path
    _token, raw = api_token_create(user=side_a.member_user, name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    listed = api.get(f"/api/v1/associations/{slug}/members")
    assert listed.status_code == 200
    assert listed["Cache-Control"] == "private, no-store"
    refused = Client().get(f"/api/v1/associations/{slug}/members")
    assert refused.status_code == 401 and refused["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_a_guests_ticket_on_a_public_page_is_not_stored_and_own_choices_are_kept(
    side_a: Side, member_a: Client
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, audience="public", title="公开论坛")
    with tenant_context(a):
        event_services.calendar_settings_update(
            association=a, actor=side_a.admin, publish_calendar=True
        )
        registration_services.registration_create(
            association=a,
            actor=None,
            event=event,
            registrant=registration_services.Registrant(
                name="游客", phone="13811112222", company="游客公司"
            ),
        )
    guest = Client()
    session = guest.session
    session[SESSION_KEY % a.pk] = "13811112222"
    session.save()
    page = guest.get(f"/a/{a.slug}/calendar/{event.pk}/")
    assert "签到码" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert Client().get("/")["Cache-Control"] == "private, no-store"
    # A view that chose its own lifetime keeps it: a calendar app polls the member's feed.
    with tenant_context(a):
        key = feeds.feed_key(association=a, user=side_a.member_user)
    feed = Client().get(f"/a/{a.slug}/events/feed/{key}.ics")
    assert feed.status_code == 200 and feed["Cache-Control"] == "private, max-age=900"
    assert "Content-Security-Policy" not in feed


PRODUCTION_COOKIES = """
import django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
    response = Client().get("/login/", secure=True, HTTP_HOST="gdjx.example.cn")
cookie = response.cookies["__Host-csrftoken"]
print(settings.SESSION_COOKIE_NAME)
print(bool(cookie["secure"]), cookie["path"], repr(cookie["domain"]))
"""


def test_production_cookies_carry_the_host_prefix_and_what_it_requires(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.production",
        "SECRET_KEY": "k" * 20 + "9f8e7d6c5b4a3210ZYXWVUTSRQPONMLKJIHGFEDCBA",
        "ALLOWED_HOSTS": "gdjx.example.cn",
        "SHANGHUI_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_COOKIES],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The browser takes a __Host- cookie only if Secure, with Path=/ and no Domain.
    assert result.stdout.split("\n")[:2] == ["__Host-sessionid", "True / ''"]


def test_plain_http_development_keeps_the_plain_cookie_names() -> None:
    from shanghui.config.settings import dev

    assert not hasattr(dev, "SESSION_COOKIE_NAME") and not hasattr(dev, "CSRF_COOKIE_NAME")
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
