"""Steps the browser journeys share: signing in as a person, and the screenshots a journey
keeps when ``SHOTS_DIR`` names a folder (to look at what the test saw)."""

import os
from pathlib import Path
from typing import Any

from shanghui.testing.factories import PASSWORD

SHOTS = Path(os.environ["SHOTS_DIR"]) if os.environ.get("SHOTS_DIR") else None


def sign_in(page: Any, base: str, phone: str) -> None:
    """Signs in on ``page`` with the test password of the account of ``phone``."""
    page.goto(f"{base}/login/")
    page.fill("#id_phone", phone)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def shot(page: Any, name: str) -> None:
    """Keeps a full-page screenshot as ``<SHOTS_DIR>/<name>.png`` when SHOTS_DIR is set."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
