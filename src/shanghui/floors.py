"""The floor order of the code (docs/architecture.md): an app imports only from its own floor's
kernel below it — never from a floor above, never from a neighbour on its own floor. ``core`` is
the kernel and imports no app; ``site`` looks across the apps (page shell, home, dashboard, the
API's assembly); ``config`` (settings, URLs) stands on top of everything."""

FLOORS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("associations",),
    ("accounts",),
    ("members",),
    ("org",),
    ("dues", "events"),
    ("publishing", "documents", "charity", "network", "providers"),
    ("site",),
    ("config",),
)


def floor_of(folder: str) -> int | None:
    for number, names in enumerate(FLOORS):
        if folder in names:
            return number
    return None


def is_upward(source: str, target: str) -> bool:
    """An import from ``source`` to ``target`` runs upward (or sideways on one floor)."""
    if source == target:
        return False
    low, high = floor_of(source), floor_of(target)
    if low is None or high is None:
        return False
    return high > low or (high == low)
