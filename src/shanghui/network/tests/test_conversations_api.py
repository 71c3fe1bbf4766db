"""The conversations API: start in an association (tenant router), then the person's own
threads across associations (/api/v1/network/…) — the same services as the pages, the same
walls (as the application role on PostgreSQL)."""

import json

import pytest

from shanghui.core.tenancy import person_context
from shanghui.network.models import Deal
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side, api_client_for

from .conversation_helpers import platform_pair

J = "application/json"


@pytest.mark.django_db
def test_conversation_through_the_api(side_a: Side, side_b: Side) -> None:
    listing = platform_pair(side_a, side_b)
    poster = api_client_for(side_a.member_user)
    inquirer = api_client_for(side_b.member_user)
    admin = api_client_for(side_a.admin)
    with as_app_role():
        started = inquirer.post(
            f"/api/v1/associations/{side_b.association.slug}/network/conversations",
            json.dumps({"listing_id": listing.pk, "text": "有货，欢迎联系", "from_match": True}),
            content_type=J,
        )
        assert started.status_code == 201, started.content
        conversation_id = started.json()["id"]
        assert started.json()["created"] is True

        mine = poster.get("/api/v1/network/conversations").json()
        assert [(c["id"], c["role"], c["unread"]) for c in mine] == [
            (conversation_id, "poster", True)
        ]
        assert mine[0]["my_association_slug"] == side_a.association.slug
        detail = poster.get(f"/api/v1/network/conversations/{conversation_id}").json()
        assert [m["text"] for m in detail["messages"]] == ["有货，欢迎联系"]
        assert detail["their_shared_contact"] == ""

        reply = poster.post(
            f"/api/v1/network/conversations/{conversation_id}/messages",
            json.dumps({"text": "请发报价单"}),
            content_type=J,
        )
        assert reply.status_code == 201
        empty = poster.post(
            f"/api/v1/network/conversations/{conversation_id}/messages",
            json.dumps({"text": "  "}),
            content_type=J,
        )
        assert empty.status_code == 400
        shared = poster.post(
            f"/api/v1/network/conversations/{conversation_id}/share-contact",
            json.dumps({"use_listing": True}),
            content_type=J,
        )
        assert shared.json()["my_shared_contact"] == "13912345678 龚经理"
        seen = inquirer.get(f"/api/v1/network/conversations/{conversation_id}").json()
        assert seen["their_shared_contact"] == "13912345678 龚经理"

        not_poster = inquirer.post(
            f"/api/v1/network/conversations/{conversation_id}/deal",
            json.dumps({"value": "5000"}),
            content_type=J,
        )
        assert not_poster.status_code == 400
        bad_value = poster.post(
            f"/api/v1/network/conversations/{conversation_id}/deal",
            json.dumps({"value": "1e5"}),
            content_type=J,
        )
        assert bad_value.status_code == 400
        deal = poster.post(
            f"/api/v1/network/conversations/{conversation_id}/deal",
            json.dumps({"value": "88000.50"}),
            content_type=J,
        )
        assert deal.status_code == 200
        deal_id = deal.json()["id"]
        answered = inquirer.post(
            f"/api/v1/network/deals/{deal_id}/answer",
            json.dumps({"answer": "closed"}),
            content_type=J,
        )
        assert answered.json()["my_answer"] == "closed"
        with person_context(side_a.member_user):
            assert Deal.objects.get().inquirer_answer == "closed"

        # Not a participant: 404 everywhere, even the poster association's administrator.
        for path in (
            f"/api/v1/network/conversations/{conversation_id}",
            f"/api/v1/network/conversations/{conversation_id}/messages",
            f"/api/v1/network/deals/{deal_id}/answer",
        ):
            response = (
                admin.get(path)
                if path.endswith(str(conversation_id))
                else admin.post(path, json.dumps({"text": "x", "answer": "closed"}), content_type=J)
            )
            assert response.status_code == 404, path
        assert admin.get("/api/v1/network/conversations").json() == []

        report = admin.get(f"/api/v1/associations/{side_a.association.slug}/network/report")
        assert report.status_code == 200
        total = report.json()["total"]
        assert (total["conversations_as_poster"], total["matches"], total["deals"]) == (1, 1, 1)
        assert total["deal_value"] in ("88000.50", 88000.5)
        assert (
            inquirer.get(
                f"/api/v1/associations/{side_b.association.slug}/network/report"
            ).status_code
            == 403
        )
