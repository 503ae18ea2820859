"""A process killed with SIGKILL at any point of an update leaves an index the next start uses or rebuilds,
and its answers equal a fresh build's."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_store import assert_equals_fresh

from retrieval import Retriever

ROOT = Path(__file__).resolve().parent.parent

#: Where the child kills itself: (function to wrap, which call kills).
POINTS = {
    "while writing a segment's arrays": ("numpy.save", 6),
    "after the segment, before the manifest": ("os.replace", 2),
    "halfway through the manifest": ("json.dump", 1),
    "after the manifest, before clean-up": ("shutil.rmtree", 1),
}

CHILD = textwrap.dedent("""
    import importlib, os, signal, sys
    module_name, attribute = sys.argv[3].rsplit(".", 1)
    module = importlib.import_module(module_name)
    real = getattr(module, attribute)
    calls = [0]
    def deadly(*args, **kwargs):
        calls[0] += 1
        if calls[0] == int(sys.argv[4]):
            if attribute == "dump":  # leave half a manifest on disk
                args[1].write('{"format": "seedbot-index", "vers')
                args[1].flush()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    setattr(module, attribute, deadly)
    from retrieval import Retriever
    Retriever.from_folder(sys.argv[1], index_dir=sys.argv[2])
    print("finished without being killed")
""")


@pytest.mark.parametrize("point", list(POINTS))
def test_sigkill_mid_update_leaves_a_usable_index(tmp_path: Path, point: str,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "moon.txt").write_text("The moon base opened in 2031 with three domes.", encoding="utf-8")
    (seeds / "tax.txt").write_text("The new tax applies to bridges and rivers.", encoding="utf-8")
    before = Retriever.from_folder(seeds, index_dir=index)
    assert before.ask("When did the moon base open?").answered
    # An update that adds a file, edits one (a merge: half the old segment is deleted) and deletes one.
    (seeds / "garden.txt").write_text("The community garden grows tomatoes and beans.", encoding="utf-8")
    (seeds / "moon.txt").write_text("The moon base opened in 2032 with four domes.", encoding="utf-8")
    (seeds / "tax.txt").unlink()
    function, call = POINTS[point]
    done = subprocess.run([sys.executable, "-c", CHILD, str(seeds), str(index), function, str(call)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == -signal.SIGKILL, (done.stdout, done.stderr)
    with caplog.at_level(logging.WARNING, logger="retrieval"):
        after = Retriever.from_folder(seeds, index_dir=index)
    # Atomic writes: the next start finds the old index or the new one whole, never a damaged one.
    assert "Rebuilding" not in caplog.text
    assert_equals_fresh(after, seeds)
    fresh = Retriever.from_folder(seeds)
    for question in ("When did the moon base open?", "What does the garden grow?", "Which tax applies?"):
        assert after.ask(question).to_dict() == fresh.ask(question).to_dict()
