"""The content store (issue 17): throughput, memory and crash safety, on this machine's disk.

1. Upload: ``content_put`` of a 500 MB file (read in pieces, hashed whole and per 4 MB block,
   spooled, fsynced, renamed into place) against ``shutil.copyfile`` of the same file on the
   same disk — and against the copy followed by an fsync, the same promise ``content_put``
   makes. A 500 MB file can only arrive the resumable way (a request body is limited to
   ``UPLOAD_MAX_BYTES``), so that is measured too: 8 MB chunks each written and fsynced as
   the PATCH handler does, then ``content_adopt`` (hashed in place, renamed into the store).
   Download: ``content_blocks`` (each block checked against its SHA-256, the blocks ahead on
   other threads) written to a file, against the same copy. Target: at least 50 % of the
   plain copy. The fsync's own cost (copy_fsync - copy) is printed: an upload must fsync
   before it answers, a plain copy leaves its bytes in the page cache.
2. Memory: the peak RSS (``VmHWM``) of a process that sets Django up and stores a 1 GB file
   through ``content_put``, against the same process before the upload. Target: flat, under
   200 MB.
3. Crash safety: ``shanghui.testing.crash`` — a writer storing random files (up to 4 MB, in
   1 MB blocks, half of them trickling in as a slow request body does) SIGKILLed at a random
   moment 100 times, each kill checked for partial or corrupt files. Target: 0.

Everything lives in a directory of its own under ``var/`` (a fresh SQLite database, the
content store, the test files), removed at the end. Needs ~3 GB free plus what the writers
store during the kills (~1–3 GB). Each throughput figure is the best of ``--runs`` runs: on a
shared machine noise only ever adds time. The files are in the page cache when read (written
just before), for the copy as for the store: the figures compare the work each does, not the
disk's read speed. Asserts nothing about timing.

    .venv/bin/python bench/storage.py [--size-mb 500] [--rss-mb 1024] [--kills 100] [--runs 3]
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import ROOT, log

MB = 1024 * 1024


def write_random(path: Path, size: int) -> None:
    with open(path, "wb") as out:
        left = size
        while left:
            piece = os.urandom(min(left, 8 * MB))
            out.write(piece)
            left -= len(piece)
        out.flush()
        os.fsync(out.fileno())


def evict(path: Path) -> None:
    """Drop ``path``'s pages from the page cache (written back first), so that the next read
    comes from the disk — for this one file, without privileges or touching anyone else's."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def best(
    runs: int,
    action: Callable[[], None],
    cleanup: Callable[[], None],
    cold: Callable[[], Path] | None = None,
) -> tuple[float, float]:
    """The shortest of ``runs`` timings of ``action`` (wall clock, and this process's CPU time,
    system time included — a copy's work is in the kernel); ``cleanup`` after each, untimed.
    ``cold``: the file the action reads, evicted from the page cache before each run."""
    walls, cpus = [], []
    for _ in range(runs):
        os.sync()
        if cold is not None:
            evict(cold())
        started, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        cleanup()
    return min(walls), min(cpus)


def environment(var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SHANGHUI_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.local",
        "PYTHONPATH": str(ROOT / "src"),
        "LOG_LEVEL": "WARNING",
    }


def setup(env: dict[str, str]) -> Any:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from shanghui.associations.models import Association
    from shanghui.core.uscc import uscc_check_char

    log("migrate")
    call_command("migrate", verbosity=0)
    return Association.objects.create(
        name="存储基准测试商会",
        short_name="存储基准",
        slug="storage-bench",
        kind=Association.Kind.HOMETOWN_CHAMBER,
        region_code="440000",
        uscc="914403000000000" + "01" + uscc_check_char("91440300000000001"),
        status=Association.Status.ACTIVE,
    )


def throughput(
    association: Any, var_dir: Path, size: int, runs: int
) -> dict[str, tuple[float, float]]:
    from django.conf import settings

    from shanghui.core.models import StoredContent
    from shanghui.core.storage.content import content_adopt, content_blocks, content_put
    from shanghui.core.tenancy import tenant_context
    from shanghui.documents.uploads import CHUNK_SIZE

    source = var_dir / "source.bin"
    target = var_dir / "copy.bin"
    log(f"writing a {size // MB} MB file")
    write_random(source, size)

    def copy() -> None:
        shutil.copyfile(source, target)

    def copy_synced() -> None:
        shutil.copyfile(source, target)
        with open(target, "rb") as handle:
            os.fsync(handle.fileno())

    def remove_copy() -> None:
        target.unlink()

    stored: list[StoredContent] = []

    def upload() -> None:
        with open(source, "rb") as handle:
            stored.append(content_put(association, handle, max_bytes=size, check_quota=False))

    def upload_resumable() -> None:
        # The way a file over UPLOAD_MAX_BYTES arrives (documents.uploads): 8 MB chunks, each
        # written and fsynced by its PATCH, then the finished file hashed in place and moved
        # into the store (``content_adopt``).
        chunked = var_dir / "resumable.part"
        with open(source, "rb") as handle, open(chunked, "xb") as out:
            while chunk := handle.read(CHUNK_SIZE):
                for start in range(0, len(chunk), MB):
                    out.write(chunk[start : start + MB])
                out.flush()
                os.fsync(out.fileno())
        stored.append(content_adopt(association, chunked, check_quota=False))

    def remove_stored() -> None:
        # The next run stores the bytes anew rather than finding them stored.
        content = stored.pop()
        (Path(settings.CONTENT_ROOT) / content.key).unlink()
        with tenant_context(association):
            StoredContent.objects.filter(pk=content.pk).delete()

    def stored_source() -> Path:
        return source

    figures = {}
    for suffix, cold in (("", None), ("_cold", stored_source)):
        log(f"plain copy{suffix}")
        figures[f"copy{suffix}"] = best(runs, copy, remove_copy, cold)
        figures[f"copy_fsync{suffix}"] = best(runs, copy_synced, remove_copy, cold)
        log(f"content_put{suffix}")
        figures[f"upload{suffix}"] = best(runs, upload, remove_stored, cold)
        log(f"resumable upload{suffix}")
        figures[f"resumable{suffix}"] = best(runs, upload_resumable, remove_stored, cold)
    with open(source, "rb") as handle:
        content = content_put(association, handle, max_bytes=size, check_quota=False)

    def download() -> None:
        with open(target, "wb") as out:
            for block in content_blocks(association, content):
                out.write(block)

    def stored_object() -> Path:
        return Path(settings.CONTENT_ROOT) / content.key

    log("content_blocks")
    figures["download"] = best(runs, download, remove_copy)
    figures["download_cold"] = best(runs, download, remove_copy, stored_object)
    source.unlink()
    return figures


RSS_CHILD = """
import json, os, sys, django
django.setup()
from shanghui.associations.models import Association
from shanghui.core.storage.content import content_put

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
association = Association.objects.get(slug="storage-bench")
before = hwm()
with open(sys.argv[1], "rb") as handle:
    content = content_put(association, handle, max_bytes=os.path.getsize(sys.argv[1]),
                          check_quota=False)
print(json.dumps({"before": before, "after": hwm(), "size": content.size}))
"""


def peak_rss(env: dict[str, str], var_dir: Path, size: int) -> dict[str, int]:
    source = var_dir / "big.bin"
    log(f"writing a {size // MB} MB file")
    write_random(source, size)
    log("content_put in a process of its own")
    done = subprocess.run(
        [sys.executable, "-c", RSS_CHILD, str(source)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    source.unlink()
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def crashes(env: dict[str, str], association_id: int, var_dir: Path, kills: int) -> Any:
    from shanghui.testing.crash import kill_writers

    log(f"SIGKILL test, {kills} kills")
    crash_env = {**env, "CONTENT_BLOCK_SIZE": str(MB), "CRASH_MAX_FILE": str(4 * MB)}
    return kill_writers(
        env=crash_env,
        association_id=association_id,
        namespace=var_dir / "content" / f"a/{association_id}",
        kills=kills,
        seed=int.from_bytes(hashlib.sha256(os.urandom(8)).digest()[:4], "big"),
        max_delay=1.0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--rss-mb", type=int, default=1024)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    var_dir = ROOT / "var" / f"bench-storage-{os.getpid()}"
    var_dir.mkdir(parents=True)
    free = shutil.disk_usage(var_dir).free
    log(f"{var_dir}: {free / 1024**3:.0f} GB free")
    try:
        env = environment(var_dir)
        association = setup(env)
        figures = throughput(association, var_dir, args.size_mb * MB, args.runs)
        memory = peak_rss(env, var_dir, args.rss_mb * MB)
        outcome = crashes(env, association.pk, var_dir, args.kills)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    size = args.size_mb * MB

    def rate(name: str) -> str:
        wall, cpu = figures[name]
        return f"{size / MB / wall:6.0f} MB/s ({wall:5.2f} s; CPU {cpu:5.2f} s)"

    def ratio(name: str, baseline: str) -> str:
        wall = figures[baseline][0] / figures[name][0]
        cpu = figures[baseline][1] / figures[name][1]
        return f"{wall:4.0%} of {baseline} (CPU {cpu:4.0%})"

    print(f"\n{args.size_mb} MB file, best of {args.runs} runs, on {var_dir.parent}")
    print(f"(load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())})")
    for suffix, title in (("", "in the page cache"), ("_cold", "read from the disk")):
        print(f"The file {title}:")
        print(f"  shutil.copyfile (copy)        {rate('copy' + suffix)}")
        print(f"  copyfile + fsync (copy_fsync) {rate('copy_fsync' + suffix)}")
        for name, label in (
            ("upload", "content_put (upload)     "),
            ("resumable", "resumable upload         "),
            ("download", "content_blocks (download)"),
        ):
            print(f"  {label}     {rate(name + suffix)}")
            print(
                f"      {ratio(name + suffix, 'copy' + suffix)}, "
                f"{ratio(name + suffix, 'copy_fsync' + suffix)}"
            )
    fsync = figures["copy_fsync"][0] - figures["copy"][0]
    print(
        f"The fsync alone (copy_fsync - copy, page cache): {fsync:.2f} s, "
        f"{fsync / figures['copy'][0]:.1f}x the plain copy"
    )
    growth = (memory["after"] - memory["before"]) / MB
    print(
        f"\nPeak RSS storing {memory['size'] // MB} MB through content_put: "
        f"{memory['after'] / MB:.0f} MB (the same process before the upload: "
        f"{memory['before'] / MB:.0f} MB; growth {growth:.0f} MB)"
    )
    o = outcome
    print(
        f"\nSIGKILL test: {o.kills} kills; {o.objects} objects hashed, "
        f"{len(o.partial)} partial; "
        f"{o.total('corrupt')} corrupt, {o.total('wrong_bytes')} read wrong, "
        f"{o.total('missing_referenced')} referenced rows without an object; "
        f"kills that left a spool {o.total('spools')}, a row without its object "
        f"{o.total('missing')}; spools left after the restart {o.total('spools_after')}"
    )
    print(f"  partial or corrupt files: {o.bad}")


if __name__ == "__main__":
    main()
