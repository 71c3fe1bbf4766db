"""A local S3-protocol server for the storage tests: moto's server mode in a process of its
own, spoken to over HTTP by the same django-storages/boto3 client production uses — nothing
is patched in-process."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import override_settings

from shanghui.core.storage.stores import S3Store, content_store, content_store_reset


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def s3_server() -> Iterator[str]:
    """Start moto's S3 server on a free port; answers its endpoint URL."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the local S3 server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_storage(s3_endpoint: str, request: pytest.FixtureRequest) -> Iterator[S3Store]:
    """The content store switched to a fresh bucket of the local S3 server for one test."""
    bucket = f"test-{abs(hash(request.node.nodeid)) % 10**10}-{time.monotonic_ns() % 10**6}"
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": s3_endpoint,
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "us-east-1",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    with override_settings(STORAGE_BACKEND="s3", S3_OPTIONS=options):
        content_store_reset()
        store = content_store()
        assert isinstance(store, S3Store)
        store.client.create_bucket(Bucket=bucket)
        try:
            yield store
        finally:
            content_store_reset()
