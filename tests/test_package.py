"""The core's public surface, and the rule that it never imports Discord."""

from __future__ import annotations

import ast
from pathlib import Path

import retrieval

CORE = Path(retrieval.__file__).resolve().parent


def test_every_public_name_is_exported_and_exists() -> None:
    assert sorted(retrieval.__all__, key=str.lower) == sorted(set(retrieval.__all__), key=str.lower)
    for name in retrieval.__all__:
        assert hasattr(retrieval, name), name


def test_the_core_never_imports_discord() -> None:
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.split(".")[0] in {"discord", "bot", "aiohttp"}, f"{path.name} imports {name}"
