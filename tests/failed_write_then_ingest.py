"""A page's life around a failed write, in one process (run by test_faults; RLIMIT_FSIZE must not touch
pytest itself): the index built, a reader answering, an ingest from the page failing as on a full disk
(files may not grow: RLIMIT_FSIZE, SIGXFSZ ignored), the space back, the next ingest. Before ingests from
the page ran in a child process, that next ingest blocked for good inside chromadb. Prints one line per
step; the caller checks them.

    python tests/failed_write_then_ingest.py DATA_DIR CORPUS_DIR MODELS_DIR
"""

from __future__ import annotations

import resource
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hotline import Settings
from hotline.config.errors import HotlineError
from hotline.pipeline import Hotline
from ingest import run_ingest
from ingest.isolated import run_ingest_isolated

if __name__ == "__main__":
    data, corpus, models = (Path(a) for a in sys.argv[1:4])
    settings = Settings(_env_file=None, data_dir=data, corpus_dir=corpus, models_dir=models)  # type: ignore[call-arg]
    run_ingest(settings)
    bot = Hotline(settings)
    print("answered", bot.ask("телефон озон").answered, flush=True)
    for n, article in enumerate(sorted(corpus.glob("*.md"))):  # enough new text that the write is large
        sections = (
            f"\n\n## Раздел {n}-{k}\n\nНовый текст {n}-{k} о доставке и возврате ({article.stem}).\n" for k in range(8)
        )
        article.write_text(article.read_text(encoding="utf-8") + "".join(sections), encoding="utf-8")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, resource.RLIM_INFINITY))
    try:
        run_ingest_isolated(settings)
        print("full disk: ingested", flush=True)
    except HotlineError as exc:
        print("full disk:", exc, flush=True)
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    print("answered", bot.ask("телефон озон").answered, flush=True)
    print("space back:", run_ingest_isolated(settings).summary(), flush=True)
    print("answered", bot.ask("телефон озон").answered, flush=True)
    bot.close()
