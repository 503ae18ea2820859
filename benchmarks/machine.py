"""The machine a benchmark ran on: CPU model, cores, memory, Python, library versions, BLAS threads.

Printed above every table, so a figure is never quoted without the machine it came from.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
from functools import lru_cache
from importlib import metadata

__all__ = ["machine_info", "machine_line", "SINGLE_THREAD_ENV"]

log = logging.getLogger(__name__)

#: Environment for single-threaded child processes (set before numpy is imported).
SINGLE_THREAD_ENV: dict[str, str] = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
}


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return " ".join(line.split(":", 1)[1].split())
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    try:
        import psutil

        return float(psutil.virtual_memory().total) / 2**30
    except ImportError:  # pragma: no cover - psutil is a bench dependency
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def _blas() -> str:
    """BLAS library and its thread setting, as far as can be told without threadpoolctl."""
    try:
        from threadpoolctl import threadpool_info

        pools = [f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} threads)"
                 for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            return ", ".join(pools)
    except ImportError:
        pass
    name = "unknown BLAS"
    try:
        import numpy as np

        config = np.show_config(mode="dicts")
        blas = config.get("Build Dependencies", {}).get("blas", {})
        name = f"{blas.get('name', 'BLAS')} {blas.get('version', '')}".strip()
    except Exception:  # noqa: BLE001 - informational only
        pass
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    return f"{name} (threads: {threads})"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


@lru_cache(maxsize=1)
def machine_info() -> dict[str, str]:
    """The machine and software, as strings: ``cpu, cores, memory, python, os, blas, packages``."""
    packages = ", ".join(f"{name} {_version(name)}" for name in ("rank-bm25", "bm25s", "numpy", "scipy"))
    return {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count() or 1),
        "memory": f"{_memory_gib():.1f} GiB",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{platform.system()} {platform.release()}",
        "blas": _blas(),
        "packages": packages,
        "executable": sys.executable,
    }


def machine_line() -> str:
    """One Markdown line describing the machine, for the top of a table."""
    m = machine_info()
    return (f"*Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM; {m['python']} on {m['os']}; "
            f"{m['blas']}; {m['packages']}.*")
