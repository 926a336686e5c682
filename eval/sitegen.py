"""A synthetic consumer-help site whose organisation names collide, and a case file over it.

Why: the hand-written corpora name a dozen real companies; a real help site names hundreds, and their names
collide (shared stems, shared generic words, two scripts, declension, initialisms, third parties' numbers on a
page). This module invents such a site and asks about it. It was written from DESIGN.md alone, blind to how
the bot resolves names, so the cases test the documented rules rather than the code that implements them.

    python -m eval.sitegen --out DIR [--seed 7] [--organizations 320]
"""

from __future__ import annotations

import argparse
import functools
import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

from eval.cases import load_cases

LAT2CYR = dict(zip("bdfgklmnprstvzaeiou", "бдфгклмнпрствзаеиоу", strict=True))
CYR2LAT = {**{c: lat for lat, c in LAT2CYR.items()}, "ё": "yo", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch",
           "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"}  # fmt: skip
# Real brands and rude syllables an invented stem must not contain (Latin, lower case).
BLOCKED = ["sber", "ozon", "mts", "beel", "tele", "yand", "tink", "vtb", "alfa", "avit", "gazp", "aero", "pobed",
           "rost", "wild", "magn", "lent", "megaf", "kasp", "pochta", "mvid", "eldor", "citi", "samok", "dom", "pizd",
           "ebl", "eba", "hui", "bly", "suk", "mud", "pid", "der", "sra", "pis", "zad", "kak", "gov"]  # fmt: skip
BLOCKED_INITIALISMS = {"ВТБ", "МТС", "ПСБ", "МКБ", "ПЭК", "РЖД", "ЖКХ", "МФЦ", "СКБ", "ТКБ", "АКБ", "ПКБ", "КЭК",
                       "ТЭК", "ГЭК", "ВЭБ", "БКС", "ОТП", "СГК", "ТГК", "ВСК", "ТСК", "РСК", "МСК", "ДКБ",
                       "ВКБ", "ЗЭК", "ДСК", "ПМК", "ЗМК", "ССК", "ДЭК", "ПСК", "ККБ", "ДМК", "ВМК", "СТК", "ТМК",
                       "КТК", "ВТК", "СМК", "ВЭК", "СЭК", "КЭС", "ПИБ", "КИБ"}  # fmt: skip
# Generic words shared across families: written word -> (how it reads in the other script, roundup group).
CYR_WORDS = {"Банк": ("bank", "bank"), "Мобайл": ("mobile", "telecom"), "Телеком": ("telecom", "telecom"),
             "Такси": ("taxi", "taxi"), "Авиа": ("avia", "air"), "Доставка": ("dostavka", "delivery"),
             "Экспресс": ("express", "delivery"), "Маркет": ("market", "market"), "Энерго": ("energo", "energy"),
             "Страхование": ("strakhovanie", "insurance"), "Россия": ("rossiya", "holding")}  # fmt: skip
LAT_WORDS = {"Pay": ("пэй", "bank"), "Bank": ("банк", "bank"), "Mobile": ("мобайл", "telecom"),
             "Line": ("лайн", "telecom"), "Taxi": ("такси", "taxi"), "Air": ("эйр", "air"),
             "Express": ("экспресс", "delivery"), "Market": ("маркет", "market"),
             "Energo": ("энерго", "energy")}  # fmt: skip
GROUPS = {  # group -> (roundup title, what the organisation does, a partner's topic)
    "bank": ("Горячие линии банков и платёжных сервисов", "банк для частных клиентов и бизнеса", "карт и платежей"),
    "telecom": ("Операторы связи: номера поддержки", "оператор мобильной связи и интернета", "связи"),
    "taxi": ("Службы такси: куда звонить", "сервис заказа такси", "поездок"),
    "air": ("Авиакомпании: телефоны для пассажиров", "авиаперевозчик", "перелётов и багажа"),
    "delivery": ("Доставка и курьерские службы: контакты", "служба доставки посылок", "доставки"),
    "market": ("Магазины и маркетплейсы: горячие линии", "интернет-магазин с пунктами выдачи", "заказов"),
    "energy": ("Энергосбыт и коммунальные услуги: телефоны", "энергосбытовая компания", "счетов за свет"),
    "insurance": ("Страховые компании: телефоны", "страховая компания", "страховки"),
    "holding": ("Группы компаний: общие номера", "группа компаний", "партнёрских программ"),
    "public": ("Региональные ведомства: куда жаловаться", "региональное ведомство, принимает жалобы", "жалоб"),
}
CITIES = [("495", "Москвы", "в москве"), ("499", "Москвы", "в мск"), ("812", "Санкт-Петербурга", "в питере"),
          ("343", "Екатеринбурга", "в екб"), ("383", "Новосибирска", "в новосибирске"), ("843", "Казани", "в казани"),
          ("846", "Самары", "в самаре"), ("863", "Ростова-на-Дону", "в ростове")]  # fmt: skip
REGIONS = ["Заречн", "Приозёрн", "Краснобережн", "Дальноречн", "Верхнедольск", "Северолесск", "Тихоборск"]
REGION_CODES = ["4852", "4822", "8162", "4842", "3412", "8142"]
BODIES = [("Жилинспекция", ""), ("Инспекция", "по защите прав потребителей"), ("Служба", "жилищного надзора"),
          ("Комиссия", "по тарифам"), ("Дирекция", "пассажирского транспорта")]  # fmt: skip
ACRONYM_KINDS = [("Банк", "m", "bank", ("Кредитный", "Коммерческий", "Расчётный", "Инвестиционный")),
                 ("Компания", "f", "energy", ("Энергосбытовая", "Теплосетевая")),
                 ("Компания", "f", "insurance", ("Страховая", "Медицинская"))]  # fmt: skip
LABELS = {"hotline": ["Горячая линия", "Единый номер", "Бесплатная линия по России", "Контакт-центр"],
          "business": ["Для юридических лиц", "Линия для бизнеса", "Корпоративным клиентам"],
          "abroad": ["Из-за границы", "Для звонков из-за рубежа"], "city": ["Городской номер"],
          "email": ["Электронная почта", "E-mail для обращений"], "hours": ["Часы работы", "Режим работы"]}  # fmt: skip
PROSE = {"hotline": ["Основной номер — {t}.", "Горячая линия: {t}.", "Звоните в контакт-центр: {t}."],
         "business": ["Юридическим лицам отвечают по номеру {t}.", "Для бизнеса есть отдельная линия {t}."],
         "abroad": ["Из-за границы звоните на {t}.", "Если вы за рубежом, набирайте {t}."],
         "city": ["Жителям {c} удобнее городской номер {t}.", "Для {c} есть местный номер {t}."],
         "email": ["Письменные обращения принимают на {t}.", "Претензию можно отправить на {t}."],
         "hours": ["Операторы работают {t}.", "Линия открыта {t}."]}  # fmt: skip
QA = {"hotline": "Какой номер горячей линии {gen}?", "business": "Есть ли линия для бизнеса?",
      "abroad": "Как позвонить из-за рубежа?", "city": "Есть ли городской номер?", "email": "Куда написать?",
      "hours": "Когда работает поддержка?"}  # fmt: skip
NOISE = ["Главная / Справочник / {g}", "Реклама", "Поделиться в соцсетях", "Вход | Регистрация",
         "Читайте также: как вернуть деньги за покупку", "Оцените статью: ★★★★☆ (12 голосов)",
         "© 2026 Справочник горячих линий. Все права защищены."]  # fmt: skip
TAILS = ["Если дозвониться не получается, попробуйте написать в чат приложения — обычно там отвечают быстрее, но в "
         "выходные очередь бывает длинной.", "Сохраните номер обращения: без него повторный звонок начнётся с "
         "самого начала, и оператор попросит снова описать проблему."]  # fmt: skip
Q_PHONE = ["{nom} номер горячей линии", "как дозвониться до {gen}", "телефон {gen}", "{nom} телефон поддержки",
           "номер саппорта {gen} плз", "подскажите номер {gen}", "{nom} hotline number", "позвонить в {acc}",
           "куда звонить {dat} если списали деньги", "тел {gen}", "{nom} колл центр номер",
           "how to call {nom} support", "{nom} как позвонить оператору"]  # fmt: skip
Q_LINE = {"hotline": Q_PHONE,
          "business": ["{nom} номер для юрлиц", "{nom} телефон для бизнеса", "{nom} business line",
                       "корпоративным клиентам {gen} куда звонить"],
          "abroad": ["как позвонить в {acc} из за границы", "{nom} номер если я за рубежом", "{nom} phone from abroad",
                     "звоню из турции как связаться с {ins}"],
          "city": ["{nom} городской номер {cp}", "{nom} телефон для {cg}", "номер {gen} {cp}"]}  # fmt: skip
Q_DECLINED = ["как дозвониться до {gen}", "позвонить в {acc}", "что делать если в {prep} списали деньги",
              "у {gen} есть горячая линия", "связаться с {ins} по телефону",
              "жалоба на {acc} куда звонить"]  # fmt: skip
Q_EMAIL = ["{nom} почта для претензий", "email {gen}", "{nom} e-mail support", "электронка {gen}",
           "куда писать {dat} нужен адрес почты"]  # fmt: skip
Q_HOURS = ["{nom} часы работы поддержки", "до скольки работает горячая линия {gen}", "when is {nom} support open",
           "во сколько открывается колл центр {gen}", "{nom} поддержка круглосуточно или нет"]  # fmt: skip
Q_THIRD = ["{nom} как связаться", "{nom} контакты поддержки", "мне нужен номер именно {gen}"]
Q_PLAIN = ["{nom} телефон", "номер {nom}", "{nom} горячая линия", "{nom} номер поддержки"]


def distance(a: str, b: str) -> int:
    """Levenshtein distance: keeps invented names apart, so that a typo or a decoy is never another's name."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def to_lat(text: str) -> str:
    return "".join(CYR2LAT.get(c, c) for c in text.lower())


def to_cyr(text: str) -> str:
    """Latin to Cyrillic letter by letter; a word-initial e is «э», as Russian writes "Embaf" («Эмбаф»)."""
    return " ".join(
        "э" + w[1:] if w.startswith("е") else w for w in "".join(LAT2CYR.get(c, c) for c in text.lower()).split(" ")
    )


def sound(word: str) -> str:
    """How a generic word reads in Latin: «Банк» and "Bank" are one word, so a family never holds both."""
    return CYR_WORDS[word][0] if word in CYR_WORDS else word.lower()


def decline(word: str) -> dict[str, str]:
    """Case forms of a one-word noun: how people write «в Тарушке», «у Тарушки», «с Корвелом»."""
    if word.endswith("ия"):
        b = word[:-1]
        return {"nom": word, "gen": b + "и", "dat": b + "и", "acc": b + "ю", "ins": b + "ей", "prep": b + "и"}
    if word.endswith("а"):
        b = word[:-1]
        gen = b + ("и" if b[-1] in "гкхжшчщ" else "ы")
        return {"nom": word, "gen": gen, "dat": b + "е", "acc": b + "у", "ins": b + "ой", "prep": b + "е"}
    return {"nom": word, "gen": word + "а", "dat": word + "у", "acc": word, "ins": word + "ом", "prep": word + "е"}


def decline_phrase(words: list[str]) -> dict[str, str]:
    """Case forms of «Заречный Кредитный Банк», «Тихоборская Страховая Компания»: adjectives agree with the noun."""
    noun = decline(words[-1])
    forms: dict[str, list[str]] = {k: [] for k in noun}
    for adj in words[:-1]:
        b, hard = adj[:-2], "и" if adj[-3] in "кгх" else "ы"
        masc = {"gen": b + "ого", "dat": b + "ому", "acc": adj, "ins": b + hard + "м", "prep": b + "ом"}
        fem = {"gen": b + "ой", "dat": b + "ой", "acc": b + "ую", "ins": b + "ой", "prep": b + "ой"}
        for case, form in ({"nom": adj} | (fem if adj.endswith("ая") else masc)).items():
            forms[case].append(form)
    return {case: " ".join([*forms[case], noun[case]]) for case in noun}


@dataclass
class Line:
    """One contact: a phone (e164 set), an e-mail or hours; ``must`` is what an answer giving it contains."""

    kind: str
    label: str
    text: str
    e164: str = ""
    must: tuple[str, ...] = ()
    city: tuple[str, str] = ("", "")  # genitive, typed preposition phrase


@dataclass
class Org:
    """An organisation: its written name, how people might type it, its lines, and where its contacts live."""

    name: str
    family: str  # the shared stem or body; how a family question names it
    group: str
    core: str = ""  # the invented word, in Latin, kept apart from every other core
    alt: str = ""  # the other-script spelling the article shows
    other: str = ""  # how the name reads in the other script, lower case
    aliases: list[str] = field(default_factory=list)
    forms: dict[str, str] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    roundup_only: bool = False
    home: str = ""  # text that must hold its own contacts: its article, or its roundup row

    def form(self) -> dict[str, str]:
        return self.forms or dict.fromkeys(("nom", "gen", "dat", "acc", "ins", "prep"), self.name)

    def phones(self) -> list[Line]:
        return [line for line in self.lines if line.e164]


@dataclass
class Page:
    file: str
    text: str
    third: Org | None = None  # the page's organisation, when the page also gives a third party's number


@dataclass
class Spec:
    """A case as generated, with the organisations it is about (kept out of the YAML, used by the check)."""

    category: str
    question: str
    orgs: list[Org]
    must: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    contain: list[str] = field(default_factory=list)
    absent: str = ""  # the name asked, for expect_no_answer cases
    id: str = ""

    def to_yaml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "category": self.category, "question": self.question}
        if self.absent:
            return {**out, "expect_no_answer": True}
        if self.must:
            out["must_phones"] = self.must
        out["allowed_phones"] = self.allowed
        return {**out, **({"must_contain": self.contain} if self.contain else {})}


class Maker:
    """Invents unique names and contacts; one random.Random drives everything, so a seed gives one site."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.cores, self.numbers, self.emails = rng, list[str](), set[str](), set[str]()
        self.firms: list[Org] = []  # advertisers: they own a number, but nobody asks about them

    def core(self, make: Callable[[], str], keep: bool = True) -> str:
        """A new Latin core three edits or more from every other, free of real brands ('' if none turns up).

        Three edits apart, a one-letter typo of a name is still nearest to that name, and a decoy is near none.
        """
        for _ in range(5000):
            word = make()
            if not any(b in word for b in BLOCKED) and all(distance(word, c) >= 3 for c in self.cores):
                self.cores += [word] if keep else []
                return word
        if keep:
            raise SiteError("ran out of invented names: ask for fewer organisations")
        return ""

    def stem(self, *patterns: str) -> str:
        r, c, v = self.rng, "bdfgklmnprstvz", "aeiou"
        pattern = r.choice(patterns or ("CVCVC", "CVLCVC", "CVLCV", "CVCVCV", "VLCVC"))
        return "".join(r.choice(c if x == "C" else v if x == "V" else "lrnms") for x in pattern)

    def phone(self, code: str, plus: bool | None = None) -> Line:
        """A unique, valid number written in one of the ways sites write them."""
        r = self.rng
        while True:
            sub = r.choice("2345679") + "".join(r.choice("0123456789") for _ in range(9 - len(code)))
            number = phonenumbers.parse("+7" + code + sub, "RU")
            if phonenumbers.is_valid_number(number) and code + sub not in self.numbers:
                break
        self.numbers.add(code + sub)
        parts = [sub[:-4], sub[-4:-2], sub[-2:]]
        dashed, spaced = "-".join(parts), " ".join(parts)
        if plus if plus is not None else r.random() < 0.4:
            styles = [f"+7 ({code}) {dashed}", f"+7 {code} {dashed}", f"+7{code}{sub}", f"+7 {code} {spaced}"]
        else:
            styles = [f"8 ({code}) {dashed}", f"8 {code} {dashed}", f"8-{code}-{dashed}", f"8{code}{sub}",
                      f"8 ({code}) {sub}", f"8 {code} {spaced}"]  # fmt: skip
        text = r.choice(styles)
        e164 = phonenumbers.format_number(phonenumbers.parse(text, "RU"), phonenumbers.PhoneNumberFormat.E164)
        assert e164 == "+7" + code + sub, text
        return Line("", "", text, e164)

    def email(self, name: str) -> str:
        r = self.rng
        local = r.choice(["support", "help", "info", "care", "client", "pretenzii", "obrashcheniya"])
        domain = "-".join(to_lat(name).replace("«", "").replace("»", "").split()[:3])
        address = f"{local}@{domain}{r.choice(['.ru', '.com', '.online', '.pro'])}"
        while address in self.emails:
            address = address.replace("@", f"{r.randint(1, 9)}@", 1)
        self.emails.add(address)
        return address

    def hours(self) -> tuple[str, tuple[str, ...]]:
        r = self.rng
        a, b = r.randint(7, 10), r.randint(19, 23)
        daily = (f"ежедневно с {a}:00 до {b}:00", (f"{a}:00", f"{b}:00"))
        weekdays = (f"по будням с {a}:00 до {b - 2}:00, в субботу до 16:00", (f"{a}:00", f"{b - 2}:00"))
        return r.choice([("круглосуточно", ("круглосуточн",)), daily, weekdays])

    def contacts(self, org: Org, regional: bool = False) -> None:
        """1–3 phone lines, sometimes an e-mail and hours; a roundup-only organisation gets just its hotline."""
        r = self.rng
        extra = [] if org.roundup_only or regional else r.sample(["business", "abroad", "city"], r.choice([0, 0, 1, 2]))
        for kind in ["hotline", *extra]:
            city = r.choice(CITIES)
            codes = {"hotline": ["800"] * 9 + [c for c, _, _ in CITIES], "business": ["800", "495", "812"],
                     "abroad": ["495", "499", "812"], "city": [city[0]]}  # fmt: skip
            line = self.phone(r.choice(REGION_CODES if regional else codes[kind]), True if kind == "abroad" else None)
            labels = [x for x in LABELS[kind] if line.e164.startswith("+7800") or "Бесплатная" not in x]
            line.kind, line.label = kind, r.choice(labels)
            if kind == "city":
                line.city, line.label = city[1:], f"Городской номер для {city[1]}"
            org.lines.append(line)
        if not org.roundup_only and r.random() < 0.45:
            address = self.email(org.other or org.name)
            org.lines.append(Line("email", r.choice(LABELS["email"]), address, must=(address,)))
        if not org.roundup_only and r.random() < 0.55:
            text, must = self.hours()
            org.lines.append(Line("hours", r.choice(LABELS["hours"]), text, must=must))


def public_bodies(r: random.Random, total: int) -> list[Org]:
    """Invented regional bodies; the same body in two regions is a family («Жилинспекция …ой области»)."""
    orgs = []
    for i, (head, tail) in enumerate(BODIES[: max(2, total // 40)]):
        for stem in r.sample(REGIONS, 2 if i < 3 else 1):
            region = f"{stem}ой области"
            forms = {k: " ".join(x for x in (v, tail, region) if x) for k, v in decline(head).items()}
            orgs.append(Org(forms["nom"], " ".join(x for x in (head, tail) if x), "public", forms=forms))
    return orgs


def initialisms(r: random.Random, total: int) -> list[Org]:
    """Three-word names that declare their initialism, and a short name where only one bank could own it."""
    orgs, shorts = list[Org](), Counter[str]()
    for _ in range(200):  # a big site may want more than the few unblocked initialisms there are
        if len(orgs) >= max(2, total // 25):
            break
        noun, gender, group, adjectives = r.choice(ACRONYM_KINDS)
        stem, adj = r.choice(REGIONS), r.choice(adjectives)
        words = [stem + ("ая" if gender == "f" else "ий" if stem.endswith("ск") else "ый"), adj, noun]
        acronym = "".join(w[0] for w in words).upper()
        if acronym not in BLOCKED_INITIALISMS and all(acronym not in o.aliases for o in orgs):
            orgs.append(Org(" ".join(words), "", group, aliases=[acronym], forms=decline_phrase(words)))
            shorts[f"{words[0]} {noun.lower()}"] += 1
    for org in orgs:
        if org.name.endswith("Банк") and shorts[short := f"{org.name.split()[0]} банк"] == 1:
            org.aliases.append(short)
    return orgs


def one_word(maker: Maker) -> Org:
    """A Cyrillic brand that declines like a noun: «Тарушка» (в Тарушке, у Тарушки) or «Корвел» (в Корвеле)."""
    r = maker.rng
    if r.random() < 0.6:
        core = maker.core(lambda: maker.stem("CVCV", "CVLCV") + r.choice(["shka", "nka", "ka", "na", "va", "la"]))
        name = to_cyr(core.replace("shka", "_")).replace("_", "шка").capitalize()
    else:
        core = maker.core(lambda: maker.stem("CVCVC", "CVLCVC"))
        name = to_cyr(core).capitalize()
    return Org(
        name, "", r.choice(["market", "delivery", "taxi", "market"]), core, other=to_lat(name), forms=decline(name)
    )


def family(maker: Maker, room: int) -> list[Org]:
    """Members sharing an invented stem and differing by generic words; now and then one in the other script."""
    r, core, orgs = maker.rng, maker.core(maker.stem), list[Org]()
    lat, cyr, script = core.capitalize(), to_cyr(core).capitalize(), "lat" if r.random() < 0.35 else "cyr"
    for word in r.sample(list(LAT_WORDS if script == "lat" else CYR_WORDS), min(room, r.choice([1, 2, 2, 3, 4]))):
        flip = script == "cyr" and r.random() < 0.12
        word = r.choice(list(LAT_WORDS)) if flip else word
        if any(sound(word) == sound(o.name.split()[-1]) for o in orgs):
            continue  # «Корвел Банк» and "Korvel Bank" would be one organisation
        reading, group = LAT_WORDS[word] if script == "lat" or flip else CYR_WORDS[word]
        other = f"{to_cyr(core)} {reading}" if script == "lat" or flip else f"{core} {reading}"
        orgs.append(Org(f"{lat if script == 'lat' or flip else cyr} {word}", lat if script == "lat" else cyr, group,
                        core, other=other))  # fmt: skip
    return orgs


def build_orgs(maker: Maker, total: int) -> list[Org]:
    """The registry the site is about: bodies, initialisms, one-word brands, then families up to ``total``."""
    r = maker.rng
    orgs = public_bodies(r, total) + initialisms(r, total) + [one_word(maker) for _ in range(max(3, total // 8))]
    while len(orgs) < total:
        orgs += family(maker, total - len(orgs))
    for org in orgs:
        if org.core and r.random() < 0.2:
            org.alt = " ".join(w.capitalize() for w in org.other.split())
        org.roundup_only = bool(org.core) and not org.alt and r.random() < 0.1
        maker.contacts(org, regional=org.group == "public")
    return orgs


def quote(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def fm(title: str, source: str, updated: str, org: Org | None) -> str:
    """YAML front matter; JSON strings are valid YAML and need no escaping rules of their own."""

    lines = ["---", f"title: {quote(title)}", f"source: {quote(source)}", f"updated: {updated}"]
    if org is not None:
        lines.append(f"organization: {quote(org.name)}")
        if org.aliases:
            lines.append(f"aliases: {quote(org.aliases)}")
    return "\n".join([*lines, "---", ""])


def sentence(r: random.Random, line: Line) -> str:
    return r.choice(PROSE[line.kind]).format(t=line.text, c=line.city[0])


def third_party(r: random.Random, org: Org, orgs: list[Org], maker: Maker) -> tuple[str, Org]:
    """Another party's number on this page: an advert, a partner's line, or a similarly named company."""
    kin = [o for o in orgs if o is not org and not o.roundup_only and o.family and o.family == org.family]
    kind = r.choice(["advert", "partner", "confuse"] + ["partner", "confuse"] * bool(kin))
    if kind == "advert":
        core = maker.core(maker.stem)
        firm = Org(f"Юридическая компания «{to_cyr(core).capitalize()} и партнёры»", "", "law", core)
        firm.lines.append(maker.phone("800"))
        firm.home = (f"> Реклама. {firm.name}: поможем вернуть деньги и составить претензию. Бесплатная "
                     f"консультация — {firm.lines[0].text}.")  # fmt: skip
        maker.firms.append(firm)
        return firm.home, firm
    same = [o for o in orgs if o is not org and not o.roundup_only and o.group == org.group]
    other = r.choice(kin or same or [o for o in orgs if o is not org and not o.roundup_only])
    phone = other.phones()[0].text
    if kind == "partner":
        return f"По вопросам {GROUPS[other.group][2]} звоните партнёру — «{other.name}», {phone}.", other
    return f"Не путайте с «{other.name}»: это другая организация, у неё свой номер — {phone}.", other


def article(maker: Maker, org: Org, orgs: list[Org], file: str) -> Page:
    """One organisation's page in one of several layouts, now and then with noise, a third party or a cut end."""
    r, f = maker.rng, org.form()
    shown = f"{org.name} ({org.alt})" if org.alt else r.choice([org.name, f"«{org.name}»"])
    layout = "table" if org.aliases and r.random() < 0.5 else r.choice(["table", "list", "prose", "qa", "txt"])
    layout = "prose" if layout == "txt" and org.aliases else layout
    title = r.choice(["{nom}: горячая линия и другие контакты", "Горячая линия {gen} — телефоны и часы работы",
                      "Как дозвониться в {acc}", "Телефон {gen}: куда звонить клиентам"]).format(**f)  # fmt: skip
    intro = r.choice([f"{shown} — {GROUPS[org.group][1]}.", f"Это {GROUPS[org.group][1]}.",
                      f"Ниже — контакты: {shown}, {GROUPS[org.group][1]}."])  # fmt: skip
    body = [intro + r.choice([" Собрали номера, адреса и часы работы поддержки.", "", " Данные проверены редакцией."])]
    if layout == "table":
        sep = ["| --- | --- |"] if r.random() < 0.85 else []
        body += [
            "## Контакты",
            "\n".join(["| Линия | Контакт |", *sep, *(f"| {x.label} | {x.text} |" for x in org.lines)]),
        ]
    elif layout in ("list", "txt"):
        body += [f"## Как связаться с {f['ins']}", "\n".join(f"- {x.label}: {x.text}" for x in org.lines)]
    elif layout == "prose":
        body += [f"## Телефон {f['gen']}", " ".join(sentence(r, x) for x in org.lines)]
    else:
        body += ["## Вопросы и ответы", *(f"### {QA[x.kind].format(**f)}\n\n{sentence(r, x)}" for x in org.lines)]
    third = None
    if len(orgs) > 3 and r.random() < 0.18:
        text, _ = third_party(r, org, orgs, maker)
        body.append(text)
        third = org
    if r.random() < 0.7:
        body.append(
            "## Если поддержка не помогла\n\nСоставьте письменную претензию, сохраните копию и номер обращения."
        )
    tail = r.choice(TAILS)
    body.append(tail[: r.randint(40, len(tail) - 20)].rstrip(" ,—") if r.random() < 0.15 else tail)
    updated = f"2026-{r.randint(1, 11):02d}-{r.randint(1, 28):02d}"
    source = r.choice([f"https://kuda-zvonit.example/{org.group}/{file.rsplit('.', 1)[0]}",
                       "пересказ ответа поддержки в чате, записан редакцией",
                       "форум потребителей, ветка о поддержке"])  # fmt: skip
    if layout == "txt":
        noise = [n.format(g=GROUPS[org.group][0]) for n in r.sample(NOISE, 4)]
        text = "\n\n".join([*noise[:2], title, *body, *noise[2:]]).replace("## ", "").replace("- ", "• ")
        return Page(file.replace(".md", ".txt"), text + "\n", third)
    head = ""
    if org.aliases or r.random() < 0.8:  # declared aliases live in front matter, so such pages always have it
        head = fm(title, source, updated, org if org.aliases or r.random() < 0.6 else None)
    return Page(file, head + ("" if head else f"# {title}\n\n") + "\n\n".join(body) + "\n", third)


def roundups(maker: Maker, orgs: list[Org]) -> list[Page]:
    """Pages listing several organisations' numbers; family members sit side by side, sorted by name."""
    r, pages = maker.rng, list[Page]()
    for group, (title, _, _) in GROUPS.items():
        members = [o for o in orgs if o.group == group and (o.roundup_only or r.random() < 0.3)]
        members.sort(key=lambda o: o.name)
        for part in range(0, len(members), 14):
            chunk, table, quoted = members[part : part + 14], r.random() < 0.5, r.random() < 0.5
            rows = []
            for o in chunk:
                phone = o.phones()[0].text
                note = "бесплатно" if o.phones()[0].e164.startswith("+7800") else "по тарифу оператора"
                listed = f"- «{o.name}»: {phone} ({note})" if quoted else f"- {o.name} — {phone}"
                row = f"| {o.name} | {phone} | {note} |" if table else listed
                o.home = row if o.roundup_only else o.home
                rows.append(row)
            head = ["| Организация | Телефон | Примечание |", "| --- | --- | --- |"] if table else []
            name = f"{title}{f' (часть {part // 14 + 1})' if part else ''}"
            intro = "Номера горячих линий в одном месте. Звонки на 8 800 бесплатные, остальные — по тарифу."
            text = fm(name, "https://kuda-zvonit.example/svodki", "2026-10-01", None) + "\n".join(
                [intro, "", *head, *rows]
            )
            pages.append(Page(f"svodka-{group}-{part // 14 + 1}.md", text + "\n"))
    return pages


def ask(r: random.Random, templates: list[str], forms: dict[str, str], **extra: str) -> str:
    """A question as people type it: mostly lower case, no punctuation, now and then a slip of the finger."""
    words = [typo(r, w) if w.isalpha() and len(w) > 5 and r.random() < 0.08 else w for w in r.choice(templates).split()]
    question = " ".join(words).format(**forms, **extra)
    return question.lower() if r.random() < 0.7 else question[0].upper() + question[1:] + "?"


def typo(r: random.Random, word: str, vowels: str = "аеиоу") -> str:
    """One slip, never on the first letter: a wrong vowel, a doubled, dropped or swapped letter."""
    i = r.randrange(1, len(word) - 1)
    if word[i] in vowels and r.random() < 0.5:
        return word[:i] + r.choice([v for v in vowels if v != word[i]]) + word[i + 1 :]
    return r.choice(
        [word[:i] + word[i] + word[i:], word[:i] + word[i + 1 :], word[:i] + word[i + 1] + word[i] + word[i + 2 :]]
    )


def sample(r: random.Random, items: list[Org], k: int) -> list[Org]:
    """Up to k items in list order: a small corpus may hold fewer than a category would like."""
    chosen = set(map(id, r.sample(items, min(k, len(items)))))
    return [x for x in items if id(x) in chosen]


def phone_case(category: str, question: str, org: Org, line: Line) -> Spec:
    others = [x.text for x in org.phones() if x is not line]
    return Spec(category, question, [org], must=[line.text], allowed=others)


def misspell(maker: Maker, org: Org) -> str:
    """The name with one slip in its invented word, still nearer to it than to any other organisation's."""
    word = org.name.split()[0]
    for _ in range(20):
        slip = typo(maker.rng, word, "aeiou" if word.isascii() else "аеиоу")
        if slip != word and all(distance(to_lat(slip), c) >= 2 for c in maker.cores if c != org.core):
            return slip + org.name[len(word) :]
    return ""


def decoy(maker: Maker, org: Org) -> str:
    """A name that starts like a real one but is at least three edits from every invented word."""
    core, word = maker.core(lambda: org.core[:3] + maker.stem()[2:5], keep=False), org.name.split()[0]
    return core and (core.capitalize() if word.isascii() else to_cyr(core).capitalize()) + org.name[len(word) :]


def make_cases(maker: Maker, orgs: list[Org], pages: list[Page], corpus: str) -> list[Spec]:
    """Every category in the brief; the counts of the rarer ones scale with the corpus."""
    r, n, specs = maker.rng, len(orgs), list[Spec]()
    listed = [o for o in orgs if not o.roundup_only]
    for org in listed:
        for line in org.phones():
            city = {"cg": line.city[0], "cp": line.city[1]}
            specs.append(phone_case("line", ask(r, Q_LINE[line.kind], org.form(), **city), org, line))
    for org in (o for o in orgs if o.roundup_only):
        specs.append(phone_case("roundup", ask(r, Q_PHONE, org.form()), org, org.phones()[0]))
    for owner in (p.third for p in pages if p.third):
        specs.append(phone_case("third-party", ask(r, Q_THIRD, owner.form()), owner, owner.phones()[0]))
    for org in sample(r, [o for o in orgs if o.other and not o.alt], n // 6):
        specs.append(phone_case("script", ask(r, Q_PLAIN, {"nom": org.other}), org, org.phones()[0]))
    for org in sample(r, [o for o in listed if o.forms], n // 5):
        specs.append(phone_case("declined", ask(r, Q_DECLINED, org.forms), org, org.phones()[0]))
    for org, alias in ((o, a) for o in orgs for a in o.aliases):
        specs.append(phone_case("alias", ask(r, Q_PLAIN, {"nom": alias}), org, org.phones()[0]))
    for org in sample(r, [o for o in orgs if o.core], n // 6):
        if name := misspell(maker, org):
            specs.append(phone_case("typo", ask(r, Q_PLAIN, {"nom": name}), org, org.phones()[0]))
    families: dict[str, list[Org]] = {}
    for org in orgs:
        if org.family:
            families.setdefault(org.family, []).append(org)
    for stem, members in [(k, v) for k, v in families.items() if len(v) > 1][: n // 8]:
        allowed = [x.text for o in members for x in o.phones()]
        specs.append(Spec("family", ask(r, Q_PLAIN, {"nom": stem.lower()}), members, allowed=allowed))
    for stem, members in r.sample(sorted(families.items()), len(families))[: n // 10]:
        taken = {sound(o.name.split()[-1]) for o in members}
        words = [w for w in (LAT_WORDS if stem.isascii() else CYR_WORDS) if sound(w) not in taken]
        name = f"{stem} {r.choice(words)}" if words and members[0].group != "public" else ""
        if name and name.lower() not in corpus:
            specs.append(Spec("absent-member", ask(r, Q_PLAIN, {"nom": name}), [], absent=name))
    for org in sample(r, [o for o in orgs if o.core], n // 10):
        if (name := decoy(maker, org)) and name.lower() not in corpus:
            specs.append(Spec("decoy", ask(r, Q_PLAIN, {"nom": name}), [], absent=name))
    for kind, templates, cap in (("email", Q_EMAIL, n // 5), ("hours", Q_HOURS, n // 5)):
        for org in sample(r, [o for o in listed if any(x.kind == kind for x in o.lines)], cap):
            line = next(x for x in org.lines if x.kind == kind)
            allowed = [x.text for x in org.phones()]
            specs.append(Spec(kind, ask(r, templates, org.form()), [org], allowed=allowed, contain=list(line.must)))
    seen: Counter[str] = Counter()
    for spec in specs:
        about = spec.absent or (spec.orgs[0].family if spec.category == "family" else spec.orgs[0].name)
        base = f"{spec.category}-{to_lat(about)}".replace(" ", "-")
        base = "".join(c for c in base if c.isalnum() or c == "-")
        seen[base] += 1
        spec.id = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return specs


@functools.cache
def e164s(text: str) -> frozenset[str]:
    """The numbers a text holds, as phonenumbers finds them (cached: the check asks about each page often)."""
    found = phonenumbers.PhoneNumberMatcher(text, "RU")
    return frozenset(phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164) for m in found)


def e164(text: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(text, "RU"), phonenumbers.PhoneNumberFormat.E164)


class SiteError(AssertionError):
    """The generated site broke one of its own promises (a bug here, never in the bot)."""


def need(condition: object, message: str) -> None:
    if not condition:
        raise SiteError(message)


def check(orgs: list[Org], firms: list[Org], pages: list[Page], specs: list[Spec], cases_path: Path) -> None:
    """The site's promises: cases load, each expected fact is in its owner's own text, no number has two owners.

    An organisation's own text is its article, or its roundup row when it has no article; a number on any page
    must belong to exactly one organisation (or advertiser), and a roundup-only number is on one page only.
    """
    owner: dict[str, str] = {}
    for org in [*orgs, *firms]:
        for line in org.phones():
            need(phonenumbers.is_valid_number(phonenumbers.parse(line.text, "RU")), f"{line.text} is not valid")
            need(owner.setdefault(line.e164, org.name) == org.name, f"{line.text} is shared")
            need(line.e164 in e164s(org.home), f"{org.name}: {line.text} is not in its own text")
    found = {p.file: e164s(p.text) for p in pages}
    need(not set().union(*found.values()) - set(owner), "a page holds a number nobody owns")
    for org in (o for o in orgs if o.roundup_only):
        need(sum(org.phones()[0].e164 in numbers for numbers in found.values()) == 1, f"{org.name}: on two pages")
    corpus = "\n".join(p.text for p in pages).lower()
    by_id = {s.id: s for s in specs}
    for case in load_cases(cases_path):
        spec = by_id[case.id]
        need(case.category and len(case.turns) == 1, f"{case.id}: no category")
        mine = {x.e164: o for o in spec.orgs for x in o.phones()}
        for text in spec.must + spec.allowed:
            need(e164(text) in mine, f"{case.id}: {text} is not the asked organisation's")
            need(e164(text) in e164s(mine[e164(text)].home), f"{case.id}: {text} is not in its owner's text")
        for sub in spec.contain:
            need(any(sub.lower() in o.home.lower() for o in spec.orgs), f"{case.id}: {sub!r} is not in its text")
        need(not spec.absent or spec.absent.lower() not in corpus, f"{case.id}: {spec.absent} is in the corpus")


@dataclass
class Site:
    orgs: list[Org]
    firms: list[Org]
    pages: list[Page]
    specs: list[Spec]


def generate(seed: int, total: int) -> Site:
    """The whole site and its cases for one seed; nothing here touches the disk."""
    maker = Maker(random.Random(seed))
    orgs = build_orgs(maker, total)
    pages, names = list[Page](), Counter[str]()
    for org in (o for o in orgs if not o.roundup_only):
        slug = "-".join(to_lat(org.name).split())[:48]
        names[slug] += 1
        page = article(maker, org, orgs, f"{slug}{'-' + str(names[slug]) if names[slug] > 1 else ''}-kontakty.md")
        org.home = page.text
        pages.append(page)
    pages += roundups(maker, orgs)
    corpus = "\n".join(p.text for p in pages).lower()
    specs = make_cases(maker, orgs, pages, corpus)
    return Site(orgs, maker.firms, pages, specs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.sitegen", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--organizations", type=int, default=320)
    args = parser.parse_args(argv)
    site = generate(args.seed, max(args.organizations, 12))
    orgs, pages, specs = site.orgs, site.pages, site.specs
    folder = args.out / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in [*folder.glob("*.md"), *folder.glob("*.txt")]:  # a rerun replaces the previous site whole
        stale.unlink()
    for page in pages:
        (folder / page.file).write_text(page.text, encoding="utf-8")
    cases_path = args.out / "cases.yaml"
    header = f"# Generated by eval/sitegen.py (seed {args.seed}); schema: DESIGN.md, 'Case files'.\n"
    dump = yaml.safe_dump(
        [s.to_yaml() for s in specs], allow_unicode=True, sort_keys=False, width=200, default_flow_style=None
    )
    cases_path.write_text(header + dump, encoding="utf-8")
    check(orgs, site.firms, pages, specs, cases_path)
    per = Counter(s.category for s in specs)
    families = sum(1 for _, c in Counter(o.family for o in orgs if o.family).items() if c > 1)
    summaries = sum(p.file.startswith("svodka") for p in pages)
    print(f"sitegen: {len(orgs)} organisations, {families} families, {len(pages) - summaries} articles, {summaries} "
          f"roundups, {len(specs)} cases ({', '.join(f'{k} {v}' for k, v in per.items())}) -> {args.out}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
