"""The publishing app's part of the demo (``core.demo``): announcements."""

from shanghui.core.demo import DemoContext
from shanghui.publishing import demo_announcements


def seed(ctx: DemoContext) -> None:
    demo_announcements.seed(ctx)
