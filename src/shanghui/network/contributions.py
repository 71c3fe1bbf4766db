"""What the network app adds to the shared slots (``core.contributions``), called from
``NetworkConfig.ready``."""


def register() -> None:
    # Each part registers its entries here (office nav, personal center, todo sources,
    # message kinds, job kinds).
    pass
