"""Killing a process in the middle of uploads (issue 17, part 6), for the test suite (20 kills)
and the bench (100): a *writer* child stores random files through ``content_put`` in a loop
until it is SIGKILLed at a random moment; the next writer, on its start, first checks what
the killed one left and cleans up as a restart would (``prune_uploads``), then writes again.

After every kill:

- the parent hashes every object newly under ``a/<id>/<xx>/<sha>`` itself: each must hash to
  its name (a partial file under a key would not);
- the next writer reads every row claimed since the previous check: a row whose object is
  missing must be one nothing refers to, and ``content_blocks`` must never give wrong bytes
  (a missing or damaged object must raise ``ContentCorrupt``, never yield);
- it counts the stale spools, runs ``prune_uploads --hours 0`` and counts them again (0).

The writer takes everything from its environment (``DJANGO_SETTINGS_MODULE``, the database,
``CONTENT_ROOT`` …): a real process on the same database as its parent, as a restarted app
server is. Run as ``python -m shanghui.testing.crash <association_id> <since_pk> <seed>``
(a seed below 0: check only, then exit)."""

import hashlib
import io
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The files written: up to this many bytes each, in blocks of CONTENT_BLOCK_SIZE (the
# caller's settings; a small block gives each file several).
MAX_FILE = int(os.environ.get("CRASH_MAX_FILE", str(256 * 1024)))
READY = "ready"


@dataclass
class Round:
    """What one writer found on its start, after the previous one was killed."""

    rows: int  # rows claimed since the previous check
    missing: int  # ... whose object is absent (a claim the kill cut short)
    missing_referenced: int  # ... of which something refers to the row (must be 0)
    corrupt: int  # rows whose object exists but does not match (must be 0)
    wrong_bytes: int  # rows content_blocks read through with wrong bytes (must be 0)
    spools: int  # temporary files the kill left
    spools_after: int  # ... after prune_uploads (must be 0)
    last_pk: int


@dataclass
class Outcome:
    kills: int = 0
    rounds: list[Round] = field(default_factory=list)
    objects: int = 0  # objects the parent hashed
    partial: list[str] = field(default_factory=list)  # keys whose bytes do not hash to them

    @property
    def bad(self) -> int:
        return len(self.partial) + sum(
            r.missing_referenced + r.corrupt + r.wrong_bytes + r.spools_after for r in self.rounds
        )

    def total(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.rounds)


# --- the child ----------------------------------------------------------------------------


def _check(association: Any, since_pk: int) -> Round:
    from django.core.management import call_command

    from shanghui.core.models import StoredContent
    from shanghui.core.storage.content import ContentCorrupt, _unreferenced, content_blocks
    from shanghui.core.storage.stores import FilesystemStore, content_store
    from shanghui.core.tenancy import tenant_context

    store = content_store()
    with tenant_context(association):
        rows = list(StoredContent.objects.filter(pk__gt=since_pk).order_by("pk"))
        unreferenced = set(
            StoredContent.objects.filter(pk__gt=since_pk)
            .filter(_unreferenced())
            .values_list("pk", flat=True)
        )
    missing = missing_referenced = corrupt = wrong = 0
    for row in rows:
        present = store.exists(row.key)
        if not present:
            missing += 1
            missing_referenced += row.pk not in unreferenced
        digest = hashlib.sha256()
        try:
            for block in content_blocks(association, row):
                digest.update(block)
        except ContentCorrupt:
            corrupt += present
            continue
        wrong += digest.hexdigest() != row.sha256 or not present
    spools = len(list(store.stale_spools())) if isinstance(store, FilesystemStore) else 0
    call_command("prune_uploads", hours=0, stdout=io.StringIO())
    after = len(list(store.stale_spools())) if isinstance(store, FilesystemStore) else 0
    last = rows[-1].pk if rows else since_pk
    return Round(len(rows), missing, missing_referenced, corrupt, wrong, spools, after, last)


def writer(association_id: int, since_pk: int, seed: int) -> None:
    import django

    django.setup()
    from django.apps import apps
    from django.db import connection

    from shanghui.core.storage.content import content_put

    if connection.vendor == "postgresql" and os.environ.get("CRASH_APP_ROLE"):
        from shanghui.core.rls import APP_DB_ROLE

        with connection.cursor() as cursor:  # as production connects: under RLS
            cursor.execute(f"SET ROLE {APP_DB_ROLE}")
    association = apps.get_model("associations", "Association").objects.get(pk=association_id)
    print(json.dumps(_check(association, since_pk).__dict__), flush=True)
    if seed < 0:
        return  # the last start: only the check
    print(READY, flush=True)
    rng = random.Random(seed)  # noqa: S311 - test data
    while True:
        data = rng.randbytes(rng.randint(0, MAX_FILE))
        # Half arrive as from a slow client, as a request body does: most of an upload's
        # time is then spent spooling, where a kill is most likely to land in production.
        source = _Trickle(data) if rng.random() < 0.5 else io.BytesIO(data)
        content_put(association, source, max_bytes=MAX_FILE, check_quota=False)


class _Trickle(io.BytesIO):
    def read(self, size: int | None = -1) -> bytes:
        time.sleep(0.002)
        return super().read(min(size if size and size > 0 else 32 * 1024, 32 * 1024))


# --- the parent ---------------------------------------------------------------------------


def _lines(process: subprocess.Popen[str]) -> "queue.Queue[str]":
    """The writer's output lines, read by a thread (a pipe's buffered reader and a timeout do
    not mix); an empty string when the writer ends."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.strip())
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    return lines


def _line(lines: "queue.Queue[str]", deadline: float) -> str:
    try:
        line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
    except queue.Empty:
        raise RuntimeError("the writer said nothing in time") from None
    if not line:
        raise RuntimeError("the writer ended before it said what it found")
    return line


def _start(
    env: dict[str, str], association_id: int, since_pk: int, seed: int
) -> tuple[subprocess.Popen[str], Round]:
    command = [sys.executable, "-m", "shanghui.testing.crash"]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [*command, str(association_id), str(since_pk), str(seed)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = _lines(process)
    try:
        deadline = time.monotonic() + 120
        found = Round(**json.loads(_line(lines, deadline)))
        if seed >= 0 and _line(lines, deadline) != READY:
            raise RuntimeError("the writer did not start writing")
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process, found


def _hash_new_objects(namespace: Path, seen: set[Path], outcome: Outcome) -> None:
    for directory, subdirs, files in os.walk(namespace):
        subdirs[:] = [name for name in subdirs if name != ".incoming"]
        for name in files:
            path = Path(directory, name)
            if path in seen:
                continue  # a stored object is never changed, only replaced whole
            seen.add(path)
            outcome.objects += 1
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                while piece := handle.read(1024 * 1024):
                    digest.update(piece)
            if digest.hexdigest() != name or path.parent.name != name[:2]:
                outcome.partial.append(str(path.relative_to(namespace)))


def kill_writers(
    *,
    env: dict[str, str],
    association_id: int,
    namespace: Path,
    kills: int,
    seed: int,
    min_delay: float = 0.05,
    max_delay: float = 0.5,
) -> Outcome:
    """Start a writer, SIGKILL it after a random delay, ``kills`` times; the writer started
    after the last kill only checks. ``namespace``: the association's directory in the
    filesystem store, which the parent hashes after every kill."""
    rng = random.Random(seed)  # noqa: S311 - test timing
    outcome = Outcome()
    seen: set[Path] = set()
    since = 0
    for number in range(kills + 1):
        last = number == kills
        process, found = _start(env, association_id, since, -1 if last else rng.randrange(2**32))
        since = found.last_pk
        if number:
            outcome.rounds.append(found)
        if last:
            if process.wait(timeout=120) != 0:
                raise RuntimeError("the last check failed")
            break
        time.sleep(rng.uniform(min_delay, max_delay))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        outcome.kills += 1
        _hash_new_objects(namespace, seen, outcome)
    return outcome


if __name__ == "__main__":
    writer(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
