"""Keeps processes running: starts each command given and starts it again whenever it stops,
until this script is told to stop (Ctrl-C, SIGTERM), which stops them all.

`make run` and `make worker` run the task workers through it, so that a worker killed
mid-job (out of memory, `kill -9`) is back within seconds — its job is given up as stopped
after core.jobs.STALLED_AFTER and its owner can start it again. Production uses systemd's
`Restart=always` instead (docs/deploy.md).

    python scripts/supervise.py 'python manage.py db_worker --queue-name messages' …

Each command runs in a process group of its own: a stop reaches the worker a reloader started.
The first stop signal asks them to finish their current task (SIGTERM); a second one a second
later, or STOP_GRACE seconds, ends them (SIGKILL).
"""

import os
import shlex
import signal
import subprocess
import sys
import time
from types import FrameType

# Seconds before a command that stopped is started again, doubled while it keeps stopping
# within RAPID seconds of its start (a broken setup), up to MAX_DELAY.
FIRST_DELAY = 1.0
MAX_DELAY = 30.0
RAPID = 10.0
STOP_GRACE = 20.0


class Supervised:
    def __init__(self, command: str) -> None:
        self.command = command
        self.args = shlex.split(command)
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.delay = FIRST_DELAY
        self.restart_at: float | None = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.args, start_new_session=True)  # noqa: S603 - our own commands
        self.started_at = time.monotonic()
        self.restart_at = None
        say(f"started (pid {self.process.pid}): {self.command}")

    def check(self) -> None:
        """Starts the command when it is due; notices when it has stopped."""
        now = time.monotonic()
        if self.process is None:
            if self.restart_at is not None and now >= self.restart_at:
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        self.process = None
        self.delay = self.delay * 2 if now - self.started_at < RAPID else FIRST_DELAY
        self.delay = min(self.delay, MAX_DELAY)
        self.restart_at = now + self.delay
        say(f"stopped (exit {code}), starting again in {self.delay:.0f} s: {self.command}")

    def signal(self, signum: int) -> bool:
        """Sends ``signum`` to the command's process group; whether any of it was left."""
        if self.process is None:
            return False
        self.process.poll()  # reaps the group's leader once it has ended
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            return False
        return True

    def running(self) -> bool:
        return self.signal(0)


def say(text: str) -> None:
    print(f"[supervise] {text}", file=sys.stderr, flush=True)


def main(commands: list[str]) -> int:
    if not commands:
        say("usage: supervise.py 'command one' ['command two' …]")
        return 2
    children = [Supervised(command) for command in commands]
    stops: list[float] = []  # when each stop signal came

    def stop(signum: int, frame: FrameType | None) -> None:
        stops.append(time.monotonic())

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stops:
        for child in children:
            child.check()
        time.sleep(0.2)
    say("stopping: each finishes its current task (press Ctrl-C again to end them now)")
    for child in children:
        child.signal(signal.SIGTERM)
    deadline = stops[0] + STOP_GRACE
    # A second signal at once is the same stop arriving twice (Ctrl-C reaches this script and
    # `make run` passes it on); one a second later is a person asking again.
    while any(child.running() for child in children):
        forced = any(when - stops[0] >= 1 for when in stops[1:])
        if forced or time.monotonic() > deadline:
            for child in children:
                child.signal(signal.SIGKILL)
        time.sleep(0.1)
    say("all stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
