"""What the network app adds to the shared slots (``core.contributions``), called from
``NetworkConfig.ready``."""


def register() -> None:
    # One function per part, each registering its own entries (nav, personal center, todo
    # sources, message kinds, job kinds, dashboard figures).
    _register_listings()
    _register_search()
    _register_conversations()


def _register_listings() -> None:
    pass


def _register_search() -> None:
    pass


def _register_conversations() -> None:
    pass
