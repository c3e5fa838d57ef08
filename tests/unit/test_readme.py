"""The README stays short and true: its links lead somewhere, its embedding
example is the guide's, and its test command is the one CI runs (the guide's
own links are checked by ``mkdocs build --strict`` in tests/run.sh)."""

from __future__ import annotations

import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", markdown, flags=re.M | re.S)


def test_readme_is_at_most_250_lines():
    assert len(README.splitlines()) <= 250


def test_every_relative_link_of_the_readme_exists():
    targets = re.findall(r"\]\(([^)\s]+)\)", README)
    local = [t.split("#")[0] for t in targets if not re.match(r"[a-z]+:", t)]
    assert local, "the README links into the guide"
    assert [t for t in local if not (ROOT / t).exists()] == []


def test_the_embedding_example_is_the_guides():
    guide = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    example = code_blocks(README, "python")[0]
    assert "ConsoleWidget(master" in example
    assert example in code_blocks(guide, "python")


def test_ci_runs_the_readmes_test_command():
    assert "bash tests/run.sh" in code_blocks(README, "sh")[1]
    assert "bash tests/run.sh" in (ROOT / ".ci" / "run").read_text()
