"""Checks a file of labelled training questions for the question reader: one JSON object per line.

Run: python train/reader/validate.py FILE.jsonl  (prints counts per label, exits 1 on the first bad line)
"""

import json
import sys
from collections import Counter

KINDS = {"phone", "email", "chat", "form", "address", "hours", "authority", "steps", "duration", "cost", "other"}
QUALIFIERS = {"city", "abroad", "business", "individual", "other_operator", "product"}
FIELDS = {"id", "voice", "history", "question", "asks", "excludes", "qualifiers", "yesno", "topic", "offtopic"}


def check(row: dict, where: str) -> None:
    missing = FIELDS - row.keys()
    extra = row.keys() - FIELDS
    assert not missing, f"{where}: missing {sorted(missing)}"
    assert not extra, f"{where}: unknown fields {sorted(extra)}"
    assert isinstance(row["question"], str) and row["question"].strip(), f"{where}: empty question"
    assert isinstance(row["history"], list) and all(isinstance(h, str) for h in row["history"]), f"{where}: history"
    for field, allowed in (("asks", KINDS), ("excludes", KINDS - {"other"}), ("qualifiers", QUALIFIERS)):
        values = row[field]
        within = isinstance(values, list) and set(values) <= allowed
        assert within, f"{where}: {field} {values} not within {sorted(allowed)}"
    assert not set(row["asks"]) & set(row["excludes"]), f"{where}: a kind both asked and excluded"
    flags = isinstance(row["yesno"], bool) and isinstance(row["offtopic"], bool)
    assert flags, f"{where}: yesno/offtopic must be true/false"
    assert row["topic"] in {"new", "continues"}, f"{where}: topic must be new or continues"
    assert row["history"] or row["topic"] == "new", f"{where}: no history, so topic must be new"
    assert not row["offtopic"] or not row["asks"], f"{where}: an off-topic question asks no kind"
    assert row["offtopic"] or row["asks"], f"{where}: asks is empty (use other)"


def main(path: str) -> None:
    counts: Counter[str] = Counter()
    ids = set()
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                sys.exit(f"{where}: not JSON ({error})")
            try:
                check(row, where)
            except AssertionError as error:
                sys.exit(str(error))
            if row["id"] in ids:
                sys.exit(f"{where}: id {row['id']} repeated")
            ids.add(row["id"])
            counts["rows"] += 1
            counts.update(f"asks:{k}" for k in row["asks"])
            counts.update(f"excludes:{k}" for k in row["excludes"])
            counts.update(f"qualifier:{k}" for k in row["qualifiers"])
            counts.update(["yesno"] * row["yesno"] + ["offtopic"] * row["offtopic"] + [f"topic:{row['topic']}"])
    for label, count in sorted(counts.items()):
        print(f"{label}\t{count}")


if __name__ == "__main__":
    main(sys.argv[1])
