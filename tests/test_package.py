"""The core's public surface, and the rule that it never imports Discord."""

from __future__ import annotations

import ast
from pathlib import Path

import retrieval

CORE = Path(retrieval.__file__).resolve().parent


def test_every_public_class_of_the_core_is_exported_from_the_package() -> None:
    """Front ends import from ``retrieval`` alone: a class or error added to a module's ``__all__`` must be
    re-exported, and every exported name must exist."""
    import importlib
    import inspect

    assert len(retrieval.__all__) == len(set(retrieval.__all__))
    for name in retrieval.__all__:
        assert hasattr(retrieval, name), name
    for path in CORE.glob("[!_]*.py"):
        module = importlib.import_module(f"retrieval.{path.stem}")
        for name in getattr(module, "__all__", []):
            if inspect.isclass(getattr(module, name)):
                assert name in retrieval.__all__, f"retrieval.{path.stem}.{name} is not exported"


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
