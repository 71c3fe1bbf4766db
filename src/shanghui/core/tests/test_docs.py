from pathlib import Path

from shanghui.core.demo import demo_accounts_table

ROOT = Path(__file__).resolve().parents[4]


def test_readme_lists_the_demo_sign_ins_the_seed_creates() -> None:
    assert demo_accounts_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_quick_start_is_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
