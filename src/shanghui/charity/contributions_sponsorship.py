"""What student sponsorship adds to the shared slots: its message kinds (the overdue-payment
alerts) and its audit labels. Called from the sponsorship block of ``charity.contributions``."""


def register() -> None:
    from shanghui.charity import (
        labels_sponsorship,  # noqa: F401  (registers on import)
        messages_sponsorship,
    )
    from shanghui.core.notifications import register_kinds

    register_kinds(messages_sponsorship.KINDS)
