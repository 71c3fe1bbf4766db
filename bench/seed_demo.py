"""Times `manage.py seed_demo` (23,000 members for the provincial chamber, ~25,000 in all) on
a fresh SQLite database and prints the figures, with the time of each app's part as the
command reports it. Target: <= 60 s on a 2-core machine."""

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        env = {
            **os.environ,
            "SHANGHUI_VAR_DIR": var_dir,
            "DATABASE_URL": f"sqlite:///{var_dir}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.dev",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
        started = time.perf_counter()
        output = subprocess.run(
            [*manage, "seed_demo"], env=env, check=True, capture_output=True, text=True
        ).stdout
        seconds = time.perf_counter() - started
        parts = re.findall(r"^\[(\w+)\] ([0-9.]+) 秒$", output, re.MULTILINE)
        size = Path(var_dir, "bench.sqlite3").stat().st_size
        again = time.perf_counter()
        subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        rerun = time.perf_counter() - again
    print(f"seed_demo, fresh SQLite: {seconds:.1f} s (target <= 60 s)")
    print("  by app: " + ", ".join(f"{app} {float(s):.1f} s" for app, s in parts))
    print(f"seed_demo, already seeded: {rerun:.1f} s")
    print(f"database size: {size / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
