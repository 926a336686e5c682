"""A problem met while reading the corpus: a file skipped or ingested with a warning, said in English for
the command line and the log, and by its kind in Russian for the knowledge-base page."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.wording import page_wording


@dataclass(frozen=True)
class Problem:
    """A file that was skipped (``skipped=True``) or ingested with a warning; ``kind`` names the
    problem for the page's wording (``problems`` in ``prompts/page.yaml``), "" for one it has no words
    for. The message, in English, is for the command line and the log, and carries the details."""

    path: str
    message: str
    skipped: bool = True
    kind: str = ""
    kept: bool = False  # skipped, but its previously indexed version stays in the index
    field: str = ""  # the front matter field a refusal is about, for the page's wording
    folder: bool = False  # a folder that cannot be read: the problem covers every article under it

    def covers(self, article: str) -> bool:
        """Whether this problem is about ``article`` (its file, or a folder it lies in)."""
        return article == self.path or (self.folder and article.startswith(self.path.rstrip("/") + "/"))

    def __str__(self) -> str:
        return f"{'skipped' if self.skipped else 'warning'}: {self.path}: {self.message}"

    def reason(self) -> str:
        """What is wrong, as the knowledge-base page says it (the message, for a kind it has no words for)."""
        say = page_wording()["problems"]
        field = say["field"].format(field=self.field) if self.field else ""
        return str(say["kinds"].get(self.kind, self.message)).format(field=field)

    def russian(self) -> str:
        """The problem as the knowledge-base page says it."""
        say = page_wording()["problems"]
        what = self.reason() + (say["kept"] if self.kept else "")
        return f"{say['skipped' if self.skipped else 'warning']}: {self.path}: {what}"
