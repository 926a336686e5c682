"""The maintainer's view of the index: every contact fact it holds, whose it is and where it stands
(:mod:`.entries`), the facts that contradict each other, what each ingest changed and which articles are
stale (:mod:`.compare`), and what is kept beside the index: the directory of the live snapshot
(:mod:`.saved`) and the record of changes (:mod:`.history`).

Built from a committed snapshot, so it shows what answering reads, not what the corpus folder holds now.
``python -m hotline.directory`` prints it.
"""

from hotline.directory.compare import Change, Conflict, Stale, changes, conflicts, disputed, stale
from hotline.directory.entries import DIRECTORY_KINDS, Entry, build

__all__ = [
    "DIRECTORY_KINDS",
    "Change",
    "Conflict",
    "Entry",
    "Stale",
    "build",
    "changes",
    "conflicts",
    "disputed",
    "stale",
]
