"""`make run` restarts a task worker that dies (issue 13, item 12): the workers run under
scripts/supervise.py, which starts a command again whenever it stops and stops them all on
Ctrl-C. Here with a stand-in worker that writes its pid and sleeps."""

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUPERVISE = ROOT / "scripts" / "supervise.py"


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    for _attempt in range(600):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def _pid(path: Path) -> int | None:
    try:
        return int(path.read_text())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is not alive: its parent, the supervisor, has not reaped it yet.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_a_killed_worker_is_started_again_and_ctrl_c_stops_all(tmp_path: Path) -> None:
    pidfile = tmp_path / "worker.pid"
    code = f"import os, time; open({str(pidfile)!r}, 'w').write(str(os.getpid())); time.sleep(600)"
    worker = shlex.join([sys.executable, "-c", code])
    supervisor = subprocess.Popen([sys.executable, str(SUPERVISE), worker])
    try:
        _wait_for(lambda: _pid(pidfile) is not None, "the worker started")
        first = _pid(pidfile)
        assert first is not None
        os.kill(first, signal.SIGKILL)  # out of memory, `kill -9`
        _wait_for(lambda: _pid(pidfile) not in (None, first), "the worker started again")
        second = _pid(pidfile)
        assert second is not None and _alive(second)

        supervisor.send_signal(signal.SIGINT)  # Ctrl-C
        assert supervisor.wait(timeout=60) == 0
        _wait_for(lambda: not _alive(second), "the worker stopped with it")
    finally:
        if supervisor.poll() is None:
            supervisor.kill()


def test_make_run_supervises_a_message_worker_and_a_worker_of_every_queue() -> None:
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/supervise.py $(WORKERS)" in run
    assert "--queue-name messages" in makefile and "--queue-name *" in makefile
