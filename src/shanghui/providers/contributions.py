"""What the providers app adds to the shared slots (``core.contributions``), called from
``ProvidersConfig.ready``."""


def register() -> None:
    _register_back_office()
    _register_choices()


def _register_back_office() -> None:
    pass


def _register_choices() -> None:
    pass
