"""Resident identity card numbers (居民身份证号码): 18 characters, or 15 on old cards."""


def mask_id_number(number: str) -> str:
    """36**************12 — the first two (the province) and the last two, as ``mask_mobile``
    keeps a phone's ends; what is shown everywhere until a reveal (audited) asks otherwise.
    Anything too short to keep ends of is masked whole."""
    number = number.strip()
    if len(number) <= 4:
        return "*" * len(number)
    return f"{number[:2]}{'*' * (len(number) - 4)}{number[-2:]}"
