import pytest
from django.core.exceptions import ValidationError

from shanghui.core.uscc import is_valid_uscc, uscc_check_char, validate_uscc

# Real-format codes: an enterprise (9…), a social organisation (5…, letter in the body), a
# farmers' co-operative (N…) and an "other" registration (Y…) — stdnum rejects letter-leading.
VALID = ["91440300MA5EXAMP0", "51440000MJL1234560", "N2360731MA3ABCDE00", "Y1440100MC0000000X"]


def _fix(code: str) -> str:
    code = code[:17]
    return code + uscc_check_char(code)


@pytest.mark.parametrize("code", [_fix(c) for c in VALID])
def test_valid_codes_including_letter_leading(code: str) -> None:
    assert is_valid_uscc(code)
    assert validate_uscc(code.lower()) == code


def test_known_public_code() -> None:
    # 华为技术有限公司's published credit code.
    assert is_valid_uscc("914403001922038216")


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038217",
        "91440300192203821",
        "9144030019220382166",
        "91440300I922038216",
        "9144A3001922038216",
        "",
    ],
)
def test_invalid_codes(code: str) -> None:
    assert not is_valid_uscc(code)
    with pytest.raises(ValidationError):
        validate_uscc(code)


@pytest.mark.parametrize("first", ["91440300MA5EXAMP", "91440300MA5EXAMP01", "91440300MA5EXAMPI"])
def test_the_check_character_needs_seventeen_valid_characters(first: str) -> None:
    with pytest.raises(ValueError, match=first):
        uscc_check_char(first)


@pytest.mark.parametrize(
    "typed",
    [
        "９１４４０３００１９２２０３８２１６",  # full-width, from a Chinese input method
        "91440300 1922038216",
        "9144-0300-1922-0382-16",
        "91440300\u30001922038216",  # an ideographic space
        " 914403001922038216\t",
        "91440300–1922038216",  # an en dash from Word
    ],
)
def test_one_normaliser_for_every_door(typed: str) -> None:
    assert validate_uscc(typed) == "914403001922038216"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("440301103456789", "15 位的旧工商注册号"),
        ("9144030019220382", "请填写 18 位统一社会信用代码（现为 16 位）"),
        ("91440300I922038216", "不含 I、O、S、V、Z"),
        ("914403001922038217", "校验位不对"),
    ],
)
def test_each_problem_has_its_own_message(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_uscc(typed)
    assert message in refused.value.messages[0]
