"""What the providers app adds to the shared slots (``core.contributions``), called from
``ProvidersConfig.ready``."""


def register() -> None:
    pass
