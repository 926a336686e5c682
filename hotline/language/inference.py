"""Where an article's organisation comes from when no front matter declares it: its title, the first
lines of a scraped page, or its file name (a roundup's rows and third parties are
:mod:`hotline.language.rows`'s).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from hotline.language.lexicon import lexicon
from hotline.language.morphology import _parses, is_common_word, is_dictionary_word, lemmas, top_parse
from hotline.language.names import (
    Organization,
    common_prefix,
    name_key,
    name_words,
    nominative,
    normal,
    sound,
    stem,
    tokens,
)
from hotline.language.written import (
    CONTACT_LINE,
    is_name,
    written_as_name,
)

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’&-]*")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def infer(title: str, body: str) -> Organization | None:
    """Whom an article is about, from the names its title gives: the one the article mentions most. A
    title that names no one (a scraped page's "Вход | Регистрация") gives way to the first short lines of
    the text, where such a page names whom it is about ("Как дозвониться в Molzi Bank")."""
    found = _from_title(title, body)
    if found is not None and (len(name_words(found.name)) > 1 or _written_as_a_name_somewhere(found.name, title, body)):
        return found  # one ordinary word ("Справочник" of "Главная / Справочник / …") names no one
    # A table's row or a line with a contact is a roundup's entry, not the page's title.
    lines = [
        line.strip(" #*>•-")
        for line in body.splitlines()
        if 0 < len(line.strip()) <= TITLE_CHARS and not line.lstrip().startswith("|") and not CONTACT_LINE.search(line)
    ]
    for line in lines[:TITLE_LINES]:
        found = _from_title(ADDRESS.sub(" ", line), body)
        # Only a brand's own word makes a line a title: "Главная / Справочник" or "Горячая линия" do not;
        # nor do words of the language unless the text writes them capitalised as one name inside a
        # sentence ("Как связаться с Ресина Маркет").
        if found is not None and (
            not all(is_common_word(w) for w in name_words(found.name)) or _written_inside(found.name, body)
        ):
            return found
    return None


SLUG_WORDS = 4  # a file name's first words that may carry a name


def from_file_name(stem: str, body: str) -> Organization | None:
    """The name a page's file name carries ("pochta-bank-pushkinskaya-karta") when the text writes it: the
    longest run of the file name's first words that the text writes as a name, capitalised, in either
    script («Почта Банк Онлайн»). A scraped page may name its organisation nowhere else: only inside an
    app's or a product's name. One word of the language alone ("bank") names no one."""
    slug = [w for w in re.split(r"[\W_]+", stem) if w]
    typed = tokens(body)
    for n in range(min(len(slug), SLUG_WORDS), 0, -1):
        key = name_key(" ".join(slug[:n]))
        if n == 1 and is_common_word(normal(slug[0])):
            continue
        for i in range(len(typed) - n + 1):
            run = typed[i : i + n]
            if all(t.text[:1].isupper() for t in run) and name_key(" ".join(t.text for t in run)) == key:
                return Organization(" ".join(nominative(t.text) for t in run))
    return None


ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+")  # an e-mail's or a site's words name no one


def _written_inside(name: str, text: str) -> bool:
    """Whether ``text`` writes the name of two or more words with each word capitalised, not at a
    sentence's start: "…с Замер Страхование" is a name, "Горячая линия" at a line's start is not."""
    wanted = [w.casefold() for w in name.split()]
    if len(wanted) < 2:
        return False
    n = len(wanted)
    for line in text.splitlines():  # a line's first word is a sentence's
        if wanted[-1] not in line.casefold():
            continue
        typed = tokens(line)
        if any(
            not typed[i].start
            and all(t.text[:1].isupper() for t in typed[i : i + n])
            and [t.text.casefold() for t in typed[i : i + n]] == wanted
            for i in range(len(typed) - n + 1)
        ):
            return True
    return False


def _written_as_a_name_somewhere(name: str, title: str, body: str) -> bool:
    """A one-word name that is a word of the language ("Самокат") is one when the title or text writes it
    capitalised inside a sentence at least once, «in quotes» as Russian writes a company, or when no
    dictionary has it."""
    if written_as_name(tokens(name)) or f"«{name}»" in f"{title}\n{body}":
        return True
    key = name_key(name)
    return any(
        t.text[:1].isupper() and not t.start and name_key(nominative(t.text)) == key for t in tokens(f"{title}\n{body}")
    )


TITLE_CHARS = 100  # a line this short near the top of a text may be its real title
TITLE_LINES = 6


def _from_title(title: str, body: str) -> Organization | None:
    words = tokens(title)
    spans: list[list[str]] = []
    aliases: dict[int, list[str]] = {}
    bracket = False
    at = 0
    for i, token in enumerate(words):
        start = title.find(token.text, at)
        gap, at = title[at:start], start + len(token.text)
        if spans and spans[-1] and (set(gap) & {",", ";", "/"} or " и " in f" {gap} "):
            spans.append([])  # "МТС, МегаФона, Билайна и Теле2": names listed, not one name
        follows = title[at:].lstrip()[:1]
        # "Ситилинк: горячая линия …", "Мегамаркет (СберМегаМаркет): …": a leading name, capitalised anyway.
        # A title's first word that no dictionary has ("Нодоси Такси: …") is a name however it is written.
        # A word of the language leads as a name ("Эльдорадо: горячая линия …") when the text writes it
        # capitalised inside a sentence too.
        leading = i == 0 and (
            written_as_name([token])
            or (follows in {":", "—", "–", "("} and _written_as_a_name_somewhere(token.text, "", body))
        )
        # A capitalised word right after a name goes on with it, a place or an English word too ("Нодоси
        # Россия", "Rendo Line").
        continues = bool(spans and spans[-1] and i > 0 and words[i - 1].text == spans[-1][-1] and not gap.strip())
        continues = continues and token.text[:1].isupper()
        if continues or is_name(replace(token, start=token.start and not leading), False, frozenset(), written=True):
            if spans and i > 0 and spans[-1] and words[i - 1].text == spans[-1][-1] and not bracket:
                spans[-1].append(token.text)
            else:
                spans.append([token.text])
                if bracket and len(spans) > 1:
                    aliases.setdefault(len(spans) - 2, []).append(token.text)
        bracket = follows == "("
    named = [span for span in spans if span and not any(span[0] in a for a in aliases.values())]
    if not named or len(named) >= ROUNDUP_NAMES:  # "телефоны МТС, МегаФона, Билайна и Теле2": a roundup's
        return None
    text = f"{title}\n{' '.join(HEADING.findall(body))}\n{body}"
    stems = _stems(text)
    counts = Counter[int]()
    for n, span in enumerate(spans):
        counts[n] = _occurrences(" ".join(span), stems) if span else -1
    alias_spans = {id(s) for owner in aliases for s in spans if s and s[0] in aliases[owner]}
    best = max((n for n, s in enumerate(spans) if s and id(s) not in alias_spans), key=lambda n: (counts[n], -n))
    said = {t.text.casefold() for t in tokens(text)}
    span = spans[best]
    first = [t.text for t in words].index(span[0])
    before = words[first - 1].text if first > 0 else ""
    # "Замер Страхование": a word of the language begins it. "Kubare Air": in a Russian title, capitalised
    # Latin words one after another are one name, though "Kubare" is a Russian word's form in Cyrillic.
    # Not an English word before a brand ("Support Ozon").
    latin_run = (
        all(LATIN_WORD.fullmatch(w) for w in [before, *span])
        and before.casefold() not in lexicon().english
        and f"{before} {span[0]}" in title
    )
    if before[:1].isupper() and (latin_run or _written_inside(" ".join([before, *span]), body)):
        span, first = [before, *span], first - 1
    # A name that opens the title ("Мегамаркет (СберМегаМаркет): …") stands in the nominative; one after
    # a noun ("Горячая линия Финрина") may not.
    opens = first == 0
    name = " ".join(_name_form(w, said, opens) for w in span)
    if noun := _noun_after(title, span[-1]):  # "Социального фонда"
        if lemmas(noun) & REGIONS:  # "… Дальноречной области": the body of the region, not the region
            name = _body_of_region(title, span[-1], noun) or name
        elif len(span) == 1:
            name = _agreed(span[0], noun) or name
    return Organization(name, tuple(" ".join(a.split()) for a in aliases.get(best, [])))


def _name_form(word: str, said: set[str], opens: bool = False) -> str:
    """A word of a name as its nominative: pymorphy3's when the word cannot be one ("Сбербанка"); when it
    may already be ("Телеком", an invented "Нодоси"), as written if it opens the title (``opens``) and is
    a nominative so, else the form the article itself writes, else as written."""
    parses = _parses(word.casefold())
    if not any(p.tag.case == "nomn" for p in parses):
        form = nominative(word)  # a guess, for a word no dictionary has: only when the article writes it
        return form if is_dictionary_word(word.casefold()) or form.casefold() in said else word
    if opens and any(p.tag.case == "nomn" and p.normal_form == word.casefold() for p in parses):
        return word  # "Мегамаркет" is a nominative as written, not "Мегамаркета" read as its plural
    for parse in parses:
        form = parse.normal_form
        if form != word.casefold() and form in said:
            return word[: len(common_prefix(form, word.casefold()))] + form[len(common_prefix(form, word.casefold())) :]
    return word


REGIONS = frozenset({"область", "край", "район", "округ", "республика"})  # a region's noun after its name


def _body_of_region(title: str, region: str, noun: str) -> str:
    """ "Как дозвониться в Службу жилищного надзора Тихоборской области" -> "Служба жилищного надзора
    Тихоборской области": a public body named after its region, from the capitalised word that begins its
    name (or the title's part) to the region's noun, its head in the nominative."""
    part = re.split(r"[:—–|(]", title)[0] if region in re.split(r"[:—–|(]", title)[0] else title
    typed = [t.text for t in tokens(part)]
    if region not in typed:
        return ""
    end = typed.index(region) + 2
    starts = [i for i in range(typed.index(region)) if typed[i][:1].isupper() and i > 0] or [0]
    start = starts[-1]
    phrase = typed[start:end]
    if len(phrase) < 3 or len(phrase) > 10:
        return ""
    return " ".join([nominative(phrase[0]).capitalize(), *phrase[1:]])


ROUNDUP_NAMES = 3  # a title naming this many organisations is a roundup's, about none of them


def _noun_after(title: str, word: str) -> str:
    """The lower-case noun right after ``word`` in ``title`` when ``word`` is an adjective: the name's head
    ("Социального фонда")."""
    typed = [t.text for t in tokens(title)]
    at = typed.index(word) if word in typed else -1
    if at < 0 or at + 1 >= len(typed) or "ADJF" not in top_parse(word.casefold()).tag:
        return ""
    noun = typed[at + 1]
    return noun if noun.islower() and "NOUN" in top_parse(noun).tag else ""


def _agreed(adjective: str, noun: str) -> str:
    """ "Социального фонда" -> "Социальный фонд": both in the nominative, the adjective agreeing."""
    head = top_parse(noun).inflect({"nomn", "sing"})
    if head is None:
        return ""
    gender = head.tag.gender
    agreed = top_parse(adjective.casefold()).inflect({"nomn", "sing", *([gender] if gender else [])})
    if agreed is None:
        return ""
    return str(agreed.word).capitalize() + " " + str(head.word)


def _occurrences(name: str, stems: Sequence[str]) -> int:
    """How many times a text (``stems``: its words' stems, :func:`_stems`) writes ``name`` in full, in any
    case form or script. A word-by-word comparison of stems: the title's names are counted in one pass over
    the text, not one matcher per name and word (the titles of 1,000 articles took 6 s so)."""
    wanted = _stems(name)
    n = len(wanted)
    return sum(1 for i in range(len(stems) - n + 1) if stems[i : i + n] == wanted) if n else 0


def _stems(text: str) -> list[str]:
    return [stem(sound(normal(t.text))) for t in tokens(text)]
