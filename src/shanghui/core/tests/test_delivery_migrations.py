"""Data migrations of the delivery log, run on rows of the shape they correct."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection, transaction

from shanghui.core.models import OutboxMessage
from shanghui.core.tenancy import scopes_disabled, tenant_context
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db


def test_rows_with_only_an_address_become_email_rows(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        # What 0009 left: every old row "sms", the email-only one too.
        email_only = OutboxMessage.objects.create(association=a, channel="sms", email="a@b.cn")
        both = OutboxMessage.objects.create(
            association=a, channel="sms", phone="13700000001", email="c@d.cn"
        )
        sms = OutboxMessage.objects.create(association=a, channel="sms", phone="13700000002")
    migration = importlib.import_module("shanghui.core.migrations.0011_email_only_rows_by_email")
    with transaction.atomic(), scopes_disabled():
        migration.email_rows(apps, SimpleNamespace(connection=connection))
    with tenant_context(a):
        channels = dict(OutboxMessage.objects.values_list("pk", "channel"))
    assert channels == {email_only.pk: "email", both.pk: "sms", sms.pk: "sms"}
