"""``python -m eval`` end to end: a smoke run on a small case file, and malformed case files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eval.__main__ import main as eval_main
from eval.cases import CaseFileError, load_cases
from hotline import Settings

from .conftest import REPO, subprocess_env

SMOKE = Path(__file__).with_name("data") / "smoke_cases.yaml"


def run_eval(settings: Settings, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eval", *args],
        capture_output=True,
        text=True,
        env=subprocess_env(settings),
        cwd=cwd,
        timeout=300,
    )


def in_process(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment ``python -m eval`` would get, for calling its ``main`` in this process."""
    for key, value in subprocess_env(settings).items():
        if key.startswith("HOTLINE_"):
            monkeypatch.setenv(key, value)


@pytest.mark.slow
def test_smoke_evaluation_writes_the_three_files_and_gates_on_the_pass_rate(indexed: Settings, tmp_path: Path) -> None:
    out = tmp_path / "report"
    done = run_eval(indexed, REPO, "--cases", str(SMOKE), "--out", str(out), "--fail-under", "0.99")

    assert done.returncode == 1, done.stderr  # the canary case always fails
    assert "is under 0.99" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["chart.png", "report.json", "report.md"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    summary = report["summary"]
    for key in ("cases", "passed", "pass_rate", "invented_phones", "wrong_phones", "no_answer_precision",
                "no_answer_recall", "hit_at_5", "mrr", "latency_ms_p50", "latency_ms_p95"):  # fmt: skip
        assert key in summary
    assert summary["cases"] == 4 and summary["invented_phones"] == 0
    cases = {c["id"]: c for c in report["cases"]}
    assert cases["ozon-card"]["passed"] and cases["ozon-card"]["phones"] == ["+78007750799"]
    assert cases["always-fails"]["reasons"] == ["missing text 'фраза, которой нет ни в одной статье'"]
    assert set(cases["ozon-card"]) >= {
        "id",
        "category",
        "passed",
        "reasons",
        "answer",
        "answered",
        "phones",
        "latency_ms",
    }
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "### `always-fails` · canary" in markdown and "missing text" in markdown
    assert (out / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_corpus_answers_from_that_folder_and_leaves_the_configured_index_alone(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other-corpus"
    other.mkdir()
    (other / "teapot.md").write_text(
        "---\ntitle: Поддержка магазина «Чайник»\n---\n\n## Контакты\n\n"
        "Горячая линия магазина «Чайник» работает круглосуточно: 8 800 555-35-35.\n",
        encoding="utf-8",
    )
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "- id: teapot\n  question: номер поддержки Чайника?\n  must_phones: ['8 800 555-35-35']\n", encoding="utf-8"
    )

    in_process(settings, monkeypatch)
    monkeypatch.chdir(tmp_path)
    assert eval_main(["--cases", str(cases), "--corpus", str(other), "--out", str(tmp_path / "o")]) == 0
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["passed"] == 1 and report["meta"]["corpus"] == str(other)
    assert not (settings.data_dir / "chroma").exists()  # the configured index was never built from it


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- id: a\n  question: [unclosed\n", "not valid YAML at line"),
        ("id: a\nquestion: q\n", "expected a non-empty YAML list"),
        ("- id: spb\n  question: q\n  must_phone: ['8 800 234-70-00']\n", "case #1 (spb): unknown field 'must_phone'"),
        ("- id: ok\n  question: q\n- id: empty\n  category: x\n", "case #2 (empty): give either question or turns"),
        ("- id: both\n  question: q\n  turns: [a, b]\n", "case #1 (both): give either question or turns"),
        (
            "- id: bad\n  question: q\n  must_phones: ['позвоните нам']\n",
            "case #1 (bad): must_phones: 'позвоните нам' is not",
        ),
        (
            "- id: short\n  question: q\n  any_phones: ['12']\n",
            "case #1 (short): any_phones: '12' is not a phone number",
        ),
        ("- id: twice\n  question: q\n- id: twice\n  question: r\n", "case #2: id 'twice' is used twice"),
        ("- question: q\n", "case #1: missing id"),
        (
            "- id: flag\n  question: q\n  expect_no_answer: maybe\n",
            "case #1 (flag): expect_no_answer must be true or false",
        ),
    ],
)
def test_malformed_case_files_are_refused_naming_the_case(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CaseFileError) as error:
        load_cases(path)
    assert message in str(error.value)


def test_a_malformed_case_file_exits_2_with_one_line(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text("- id: spb\n  question: q\n  must_phone: []\n", encoding="utf-8")
    done = run_eval(settings, tmp_path, "--cases", str(path))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: {path}: case #1 (spb): unknown field 'must_phone' (known: allowed_phones, any_phones, category, "
        "expect_no_answer, id, must_authorities, must_contain, must_phones, question, turns)"
    ]


def test_the_development_cases_load_and_cover_every_kind_of_question() -> None:
    cases = load_cases(REPO / "eval" / "cases.yaml")
    assert len(cases) >= 60
    categories = {c.category for c in cases}
    assert {"phone", "email", "address", "hours", "authority", "followup", "translit", "typo", "english",
            "no-answer", "injection"} <= categories  # fmt: skip


def test_every_phone_and_email_of_the_corpus_is_asked_for() -> None:
    from hotline.language.facts import find_emails
    from hotline.language.phones import find_phones, normalize_phone

    corpus = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "corpus").glob("*.md"))
    cases = load_cases(REPO / "eval" / "cases.yaml")
    asked = {normalize_phone(p) for c in cases for p in (*c.must_phones, *c.any_phones)}
    assert {p.e164 for p in find_phones(corpus)} - asked == set()
    texts = " ".join(s for c in cases for s in c.must_contain)
    assert [e for e in find_emails(corpus) if e not in texts] == []


@pytest.mark.slow
def test_llm_run_needs_an_endpoint_and_compare_puts_runs_side_by_side(
    indexed: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # In process (the smoke test runs the real command): each child process costs the suite seconds.
    in_process(indexed, monkeypatch)
    assert eval_main(["--cases", str(SMOKE), "--llm"]) == 1
    assert capsys.readouterr().err.strip() == (
        "error: --llm needs HOTLINE_LLM_BASE_URL and HOTLINE_LLM_MODEL (see the README)"
    )

    first = tmp_path / "first"
    eval_main(["--cases", str(SMOKE), "--out", str(first)])
    second = tmp_path / "second"
    assert eval_main(["--cases", str(SMOKE), "--out", str(second), "--compare", str(first / "report.json")]) == 0
    report = (second / "report.md").read_text(encoding="utf-8")
    assert "## Side by side" in report
    assert report.count("| extractive |") == 2
    assert "invented phones before guard" in report

    capsys.readouterr()
    assert eval_main(["--cases", str(SMOKE), "--compare", str(tmp_path / "nowhere.json")]) == 2
    assert "--compare" in capsys.readouterr().err
