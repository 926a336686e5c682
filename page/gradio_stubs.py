"""What Gradio would otherwise cost the page's start and its first answer: its import rewriting type stubs
(half of its import time, skipped) and its first event's imports (paid by the warm-up instead, see
:func:`warm_event_path`).

Gradio 6.31's component metaclass calls ``create_or_modify_pyi`` for every component class it defines,
on every import: it reads each component's source and ``.pyi`` stub, parses both with ``ast``, and writes
the stub back into site-packages when the two differ. The stubs are for editors' type checkers and play
no part at run time, yet the parsing took 1.05 s of ``import gradio``'s 2.25 s on this machine, and so of
every start of the page. :func:`skip_stub_writing` makes that one function do nothing, in this process
only, as Gradio's module loads: nothing else of Gradio changes. Should a later Gradio drop or rename the
function, the patch sets an attribute nothing reads and the import is as slow as before, never broken.

Why patch rather than wait for a release: the page's start is what a deploy waits for (issue 27: serving
in 3 s), and every test that starts a server pays it again.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

MODULE = "gradio.component_meta"


class _StubsSkipped(importlib.abc.MetaPathFinder):
    """Finds Gradio's component_meta as usual, and replaces its stub writer once the module has run."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        if name != MODULE:
            return None
        sys.meta_path.remove(self)  # once: the module loads once per process
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            module.create_or_modify_pyi = _nothing  # type: ignore[attr-defined]

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _nothing(*args: object, **kwargs: object) -> None:
    return None


def skip_stub_writing() -> None:
    """Make this process's coming ``import gradio`` skip the stub writing (nothing if Gradio is in already)."""
    if MODULE in sys.modules or any(isinstance(f, _StubsSkipped) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _StubsSkipped())


def warm_event_path() -> None:
    """Pay now, in the background, what Gradio pays on its first event: it runs every event inside
    ``gradio.utils.MatplotlibBackendMananger`` (sic), which imports matplotlib when it is installed (the
    evaluation's charts need it) and, asking for the backend, ``matplotlib.pyplot``: 0.39 s on this
    machine, which the first user's first answer waited for. Should a later Gradio drop the class, nothing
    is warmed and nothing breaks."""
    import contextlib

    from gradio import utils

    manager = getattr(utils, "MatplotlibBackendMananger", None)
    if manager is not None:
        with contextlib.suppress(Exception), manager():
            pass
