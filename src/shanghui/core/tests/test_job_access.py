"""An export's file — and any job — is readable only while its owner may still do that kind
of work in the association (issue 12, item 17): a demoted administrator, or a clerk made a
plain member, gets the same 404 as for a job that does not exist, on the page and in the
API."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from shanghui.accounts.models import Role, User
from shanghui.accounts.services.tokens import api_token_create
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.testing.factories import RoleFactory, UserFactory
from shanghui.testing.fixtures import Side, client_for


def api_client(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def demote(side: Side) -> None:
    with tenant_context(side.association):
        Role.objects.filter(association=side.association, user=side.admin).update(
            kind=Role.Kind.MEMBER
        )


@pytest.mark.django_db(transaction=True)
def test_a_demoted_administrator_can_no_longer_download_their_export(side_a: Side) -> None:
    slug = side_a.association.slug
    RoleFactory(association=side_a.association, kind=Role.Kind.ADMIN)  # the one who stays
    api = api_client(side_a.admin)
    page = client_for(side_a.admin)
    job_id = json.loads(
        api.post(
            f"/api/v1/associations/{slug}/members/exports", {}, content_type="application/json"
        ).content
    )["id"]
    # One export at a time per person: the first is done before the second is asked for.
    call_command("db_worker", batch=True, interval=0, startup_delay=False)
    page.post(f"/a/{slug}/office/members/export/")
    with tenant_context(side_a.association):
        page_job = Job.objects.exclude(pk=job_id).get(kind="members.export")
    call_command("db_worker", batch=True, interval=0, startup_delay=False)
    file_url = f"/api/v1/associations/{slug}/jobs/{job_id}/file"
    page_url = f"/a/{slug}/jobs/{page_job.pk}/download/"
    assert api.get(file_url).status_code == 200
    assert page.get(page_url).status_code == 200

    demote(side_a)

    assert api.get(file_url).status_code == 404
    assert api.get(f"/api/v1/associations/{slug}/jobs/{job_id}").status_code == 404
    assert page.get(page_url).status_code == 404
    assert page.get(f"/a/{slug}/jobs/{page_job.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_clerk_made_a_member_no_longer_sees_the_job_they_started(side_a: Side) -> None:
    """Jobs of every kind follow the permission their kind needs now: an event's invitations
    are the secretariat's, and a clerk who is now only a member no longer sees the job (page
    or API)."""
    from shanghui.events.tests.factories import make_event

    staff = UserFactory(name="甲市文员")
    RoleFactory(association=side_a.association, user=staff, kind=Role.Kind.STAFF)
    slug = side_a.association.slug
    event = make_event(side_a.association, side_a.admin)
    page = client_for(staff)
    started = page.post(f"/a/{slug}/office/events/{event.pk}/invite/")
    assert started.status_code == 302
    progress = started["Location"]
    job_id = progress.rstrip("/").rsplit("/", 1)[-1]
    api_url = f"/api/v1/associations/{slug}/jobs/{job_id}"
    assert page.get(progress).status_code == 200
    assert api_client(staff).get(api_url).status_code == 200
    with tenant_context(side_a.association):
        Role.objects.filter(association=side_a.association, user=staff).update(
            kind=Role.Kind.MEMBER
        )
    assert page.get(progress).status_code == 404
    assert api_client(staff).get(api_url).status_code == 404
