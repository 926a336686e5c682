"""eval.sitegen: a small generated site keeps its promises (no model, no index, well under five seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval import sitegen
from eval.cases import load_cases

CATEGORIES = {"line", "roundup", "third-party", "script", "declined", "alias", "typo", "absent-member", "decoy",
              "family", "email", "hours"}  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, sitegen.Site]:
    out = tmp_path_factory.mktemp("site")
    assert sitegen.main(["--out", str(out), "--organizations", "40", "--seed", "7"]) == 0
    return out, sitegen.generate(7, 40)


def test_cases_load_and_cover_every_category(site: tuple[Path, sitegen.Site]) -> None:
    out, _ = site
    cases = load_cases(out / "cases.yaml")
    assert {case.category for case in cases} == CATEGORIES
    assert all(case.category for case in cases)


def test_every_expected_phone_is_its_organisations_and_in_its_text(site: tuple[Path, sitegen.Site]) -> None:
    out, generated = site
    files = [p.read_text(encoding="utf-8") for p in sorted((out / "corpus").iterdir())]
    by_id = {spec.id: spec for spec in generated.specs}
    for case in load_cases(out / "cases.yaml"):
        spec = by_id[case.id]
        own = {line.e164: org for org in spec.orgs for line in org.phones()}
        for phone in (*case.must_phones, *case.any_phones, *case.allowed_phones):
            org = own[sitegen.e164(phone)]  # KeyError: a phone that is not the asked organisation's
            assert any(org.home in text for text in files), f"{case.id}: {org.name}'s own text is not in the corpus"
            assert sitegen.e164(phone) in sitegen.e164s(org.home), f"{case.id}: {phone} is not in {org.name}'s text"
        if case.expect_no_answer:
            assert not own and spec.absent.lower() not in "\n".join(files).lower()


def test_no_phone_is_shared_and_every_page_number_has_an_owner(site: tuple[Path, sitegen.Site]) -> None:
    out, generated = site
    owners: dict[str, str] = {}
    for org in [*generated.orgs, *generated.firms]:
        for line in org.phones():
            assert owners.setdefault(line.e164, org.name) == org.name, f"{line.text} has two owners"
    for page in (out / "corpus").iterdir():
        assert sitegen.e164s(page.read_text(encoding="utf-8")) <= owners.keys(), page.name


def test_same_seed_same_site(tmp_path: Path, site: tuple[Path, sitegen.Site]) -> None:
    out, _ = site
    assert sitegen.main(["--out", str(tmp_path), "--organizations", "40", "--seed", "7"]) == 0
    assert (tmp_path / "cases.yaml").read_bytes() == (out / "cases.yaml").read_bytes()
    for page in (out / "corpus").iterdir():
        assert (tmp_path / "corpus" / page.name).read_bytes() == page.read_bytes()
    assert sitegen.generate(8, 40).pages[0].text != sitegen.generate(7, 40).pages[0].text
