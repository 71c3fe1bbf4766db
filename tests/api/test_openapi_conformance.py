"""schemathesis drives every API operation with generated input, signed in as an association
administrator: no 5xx, every status and body as the OpenAPI schema documents it.

The schema is read once, when the module is collected, so that every operation is a test of
its own (run in its own transaction, and spread over pytest-xdist workers)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from shanghui.accounts.services.tokens import api_token_create
from shanghui.testing.fixtures import Side


@contextmanager
def _connections_kept() -> Iterator[None]:
    """Like Django's test client: the test's transaction must survive each request's end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


with _connections_kept():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_connections() -> Iterator[None]:
    with _connections_kept():
        yield


@schema.parametrize()
@settings(
    # Besides these generated examples, schemathesis runs each operation's documented examples
    # and its coverage cases (boundary and invalid values of every parameter) every time.
    max_examples=5,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case: Any, side_a: Side) -> None:
    _token, raw = api_token_create(user=side_a.admin, name="schemathesis")
    if "slug" in (case.path_parameters or {}):
        # Mostly the association the caller administers, so the operations run for real.
        case.path_parameters["slug"] = side_a.association.slug
    # Domain rules (credit-code checksum, mobile format, the privacy consent) are checked by the
    # services and answered with a documented 400 — a schema cannot express them, so a
    # "schema-valid" request may rightly be refused.
    # Schemathesis' WSGI transport hands the checks the body as sent and does not undo a
    # Content-Encoding: ask for it plain (compression has its own tests, core.compression).
    case.call_and_validate(
        headers={"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"},
        excluded_checks=[positive_data_acceptance],
    )
