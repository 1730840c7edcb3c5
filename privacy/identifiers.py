"""Structured personal identifiers in free text: e-mail addresses, phone numbers, Belgian national register
numbers, IBANs and street addresses.

Standard library only: the Rasa server's Python 3.10 environment imports this module without spaCy.
Numbers are recognised by their shape and, where one exists, their check digits, so that ages, years,
postcodes, prices, times, dates and course codes are left alone.

A street word without a house number ("un emploi rue Neuve", "in de Nieuwstraat") names a place that
thousands of people share, not where someone lives: only a street with a house number is an address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    kind: str


KINDS = ("email", "iban", "national_number", "phone", "address")  # also the order that breaks ties

_SP = "[ \\t\\u00a0\\u202f]"  # a horizontal space, non-breaking ones included
_UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper())
# Words of bounded length, so that a long run of letters and hyphens costs linear time.
_CAP_WORD = f"[{_UPPER}][^\\W\\d_]{{0,30}}(?:['’-][^\\W\\d_]{{1,30}}){{0,4}}"  # Flagey, Sainte-Catherine, D'Hondt
_WORD = "[^\\W\\d_]{1,30}(?:['’-][^\\W\\d_]{1,30}){0,4}"


def find_identifiers(text: str) -> list[Span]:
    """The identifiers in `text`, sorted and non-overlapping (the longest wins an overlap)."""
    found = [*_emails(text), *_ibans(text), *_national_numbers(text), *_phones(text), *_addresses(text)]
    return non_overlapping(found, KINDS)


def non_overlapping(spans: Iterable[Span], kinds: tuple) -> list[Span]:
    """Keeps the longest of overlapping spans (ties: the kind that comes first in `kinds`), sorted."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, kinds.index(s.kind), s.start)):
        if all(span.end <= other.start or other.end <= span.start for other in kept):
            kept.append(span)
    return sorted(kept)


# E-mail ------------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+(?:@|\(at\)|\[at\])[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?!\w)")


# An address spelled in words, as it is said on the phone: "karim point dupont arobase gmail point com",
# "jan punt peeters apenstaartje telenet punt be". It must end with a common top-level domain, so that an
# ordinary "at" or "point" in a sentence is left alone.
_SAID_DOT = r"(?:\s*\.\s*|\s+(?:point|punt|dot)\s+)"
_SAID_AT = r"(?:\s*@\s*|\s+(?:arobase|arrobase|at|apenstaartje|apestaart)\s+)"
_SAID_EMAIL = re.compile(
    f"(?<![\\w.+-])[\\w+-]{{1,40}}(?:{_SAID_DOT}[\\w+-]{{1,40}}){{0,3}}{_SAID_AT}[\\w-]{{1,40}}"
    f"(?:{_SAID_DOT}[\\w-]{{1,40}}){{0,2}}{_SAID_DOT}(?:com|be|fr|nl|net|org|eu|info|brussels)(?!\\w)",
    re.IGNORECASE,
)


def _emails(text: str) -> Iterator[Span]:
    for pattern in (_EMAIL, _SAID_EMAIL):
        for match in pattern.finditer(text):
            yield Span(match.start(), match.end(), "email")


# Phone -------------------------------------------------------------------------------------------------

_GAP = f"(?:{_SP}?[./\\-–]{_SP}?|{_SP})"
# Digit groups, optionally after "+", with the "(0)" some write after the country code.
_DIGIT_RUN = re.compile(
    f"(?<![\\w+@/-])(?<!\\d[.,])(?:\\+{_SP}?)?\\d+(?:{_GAP}?\\(0\\){_SP}?\\d+)?(?:{_GAP}\\d+)*(?![\\w@])"
)
_DIGIT_GROUP = re.compile(r"\(0\)|\d+")
MOBILE_PREFIXES = ("45", "46", "47", "48", "49")
# How a mobile number is written when its leading 0 is left out: 470 12 34 56, or 470123456.
_MOBILE_WITHOUT_0 = ([9], [3, 2, 2, 2])
_MOST_GROUPS = 10


def _phones(text: str) -> Iterator[Span]:
    """In each run of digit groups, the longest phone numbers from left to right: a number next to other
    figures ("0470 12 34 56 2 fois") is found too. Numbers start and end where a space separates groups,
    so that no piece of a longer dotted number (85.07.30-033.29) is taken for one."""
    for run in _DIGIT_RUN.finditer(text):
        groups = [(run.start() + g.start(), run.start() + g.end()) for g in _DIGIT_GROUP.finditer(run.group())]
        can_start = {0} | {i for i in range(1, len(groups)) if text[groups[i][0] - 1].isspace()}
        can_end = {len(groups) - 1} | {i for i in range(len(groups) - 1) if text[groups[i][1]].isspace()}
        first = 0
        while first < len(groups):
            start = run.start() if first == 0 else groups[first][0]  # the first group with its "+"
            candidates = range(min(len(groups), first + _MOST_GROUPS) - 1, first - 1, -1) if first in can_start else ()
            last = next(
                (last for last in candidates if last in can_end and _is_phone_number(text[start : groups[last][1]])),
                None,
            )
            if last is None:
                first += 1
            else:
                yield Span(start, groups[last][1], "phone")
                first = last + 1


def _is_phone_number(written: str) -> bool:
    groups = re.findall(r"\d+", written.replace("(0)", ""))
    digits = "".join(groups)
    if not groups or written.endswith(")") or written.startswith("("):
        return False
    if written.startswith("+") or digits.startswith("00"):
        international = digits[2:] if digits.startswith("00") else digits
        if international.startswith("32"):
            return _is_belgian(international[2:].removeprefix("0"))
        return 9 <= len(international) <= 15
    if [len(group) for group in groups] in _MOBILE_WITHOUT_0 and digits[:2] in MOBILE_PREFIXES:
        return True
    # A national number: 0 and the area code or mobile prefix, written in groups of 2 to 4 digits
    # (dates such as 01.02.2024 have a group of 4 in the middle; a lone digit ends no Belgian number).
    return (
        digits.startswith("0")
        and _is_belgian(digits[1:])
        and (len(groups) <= 2 or all(len(group) in (2, 3) for group in groups[1:-1]) and len(groups[-1]) >= 2)
    )


def _is_belgian(significant: str) -> bool:
    """A Belgian significant number (after 0 or +32) that may be someone's: 8 digits for a landline, 9 from
    45 to 49 for a mobile. Free, premium and shared-cost numbers (0800, 090x, 070, 078) are services'."""
    if len(significant) == 8:
        return significant[0] != "0" and not significant.startswith(("800", "90", "70", "78"))
    return len(significant) == 9 and significant[:2] in MOBILE_PREFIXES


# National register number ----------------------------------------------------------------------------

_NATIONAL_SEP = f"(?:{_SP}|[.\\-])?"
_NATIONAL = re.compile(
    f"(?<![\\w+@/-])(?<!\\d[.,])(\\d\\d){_NATIONAL_SEP}(\\d\\d){_NATIONAL_SEP}(\\d\\d){_NATIONAL_SEP}"
    f"(\\d{{3}}){_NATIONAL_SEP}(\\d\\d)(?![\\w@]|[.,/-]\\d)"
)


# What names a national register number, shortly before it in the same sentence. A number of that shape
# after one of these is someone's number even when its check digits or its date are wrong: a typo.
_NATIONAL_NAMED = re.compile(
    r"(?:registre\s+national|num[ée]ro\s+national|n°\s*national|\bniss\b|\binsz\b|rijksregister\w{0,20}"
    r"|national\s+(?:register\s+)?number)[^.!?\n]{0,40}$",
    re.IGNORECASE,
)
NAMED_WINDOW = 80


def _national_numbers(text: str) -> Iterator[Span]:
    for match in _NATIONAL.finditer(text):
        named = _NATIONAL_NAMED.search(text, max(0, match.start() - NAMED_WINDOW), match.start())
        if named or is_national_number("".join(match.groups())):
            yield Span(match.start(), match.end(), "national_number")


def is_national_number(digits: str) -> bool:
    """Rijksregisternummer / numéro de registre national: YYMMDD, a 3-digit serial and 2 check digits.

    The check digits are 97 minus the first nine digits modulo 97; for people born from 2000 on, the
    first nine digits are prefixed with a 2. Month + 20 or + 40 marks a bis number; 00 an unknown date.
    """
    if len(digits) != 11 or not digits.isdigit():
        return False
    month, day = int(digits[2:4]) % 20, int(digits[4:6])
    if int(digits[2:4]) > 52 or month > 12 or day > 31:
        return False
    check = int(digits[9:])
    return check in (97 - int(digits[:9]) % 97, 97 - int("2" + digits[:9]) % 97)


# IBAN --------------------------------------------------------------------------------------------------

# ISO 13616 registry lengths; a country not listed here is accepted at any length from 15 to 34.
_IBAN_LENGTHS = {
    "AD": 24,
    "AE": 23,
    "AL": 28,
    "AT": 20,
    "AZ": 28,
    "BA": 20,
    "BE": 16,
    "BG": 22,
    "BH": 22,
    "BR": 29,
    "BY": 28,
    "CH": 21,
    "CR": 22,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DK": 18,
    "DO": 28,
    "EE": 20,
    "EG": 29,
    "ES": 24,
    "FI": 18,
    "FO": 18,
    "FR": 27,
    "GB": 22,
    "GE": 22,
    "GI": 23,
    "GL": 18,
    "GR": 27,
    "GT": 28,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IL": 23,
    "IQ": 23,
    "IS": 26,
    "IT": 27,
    "JO": 30,
    "KW": 30,
    "KZ": 20,
    "LB": 28,
    "LC": 32,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "MC": 27,
    "MD": 24,
    "ME": 22,
    "MK": 19,
    "MR": 27,
    "MT": 31,
    "MU": 30,
    "NL": 18,
    "NO": 15,
    "PK": 24,
    "PL": 28,
    "PS": 29,
    "PT": 25,
    "QA": 29,
    "RO": 24,
    "RS": 22,
    "SA": 24,
    "SC": 31,
    "SE": 24,
    "SI": 19,
    "SK": 24,
    "SM": 27,
    "ST": 25,
    "SV": 28,
    "TL": 23,
    "TN": 24,
    "TR": 26,
    "UA": 29,
    "VA": 22,
    "VG": 24,
    "XK": 20,
}
_IBAN_START = re.compile(r"(?<![\w@])[A-Za-z]{2}\d\d")
_IBAN_GROUP = re.compile(f"{_SP}?[A-Za-z0-9]+")


def _ibans(text: str) -> Iterator[Span]:
    for start in _IBAN_START.finditer(text):
        ends = []  # where each group of characters ends, with the characters so far
        position, characters = start.start(), ""
        while len(characters) < 34 and (group := _IBAN_GROUP.match(text, position)):
            position, characters = group.end(), characters + group.group().lstrip(" \t\u00a0\u202f")
            ends.append((position, characters))
        for end, candidate in reversed(ends):  # the longest valid reading wins ("... 7034 merci")
            if is_iban(candidate):
                yield Span(start.start(), end, "iban")
                break


def is_iban(candidate: str) -> bool:
    """ISO 13616: the registry length for the country, and the check (country and check digits moved to
    the end, letters as numbers from A = 10) leaving 1 modulo 97."""
    iban = candidate.upper()
    country = iban[:2]
    expected = _IBAN_LENGTHS.get(country)
    if not (iban.isalnum() and iban.isascii()) or not (len(iban) == expected if expected else 15 <= len(iban) <= 34):
        return False
    if expected is None and not candidate[:2].isupper():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


# Street address ---------------------------------------------------------------------------------------

# Words that end a street name written in lower case ("rue neuve pendant deux ans").
_NOT_STREET = (
    "à|a|au|aux|et|ou|en|pour|par|avec|depuis|pendant|dans|chez|mais|donc|car|je|j|tu|il|elle|on|nous|vous|"
    "ils|elles|qui|que|quand|est|suis|sont|ai|as|avons|ont|était|habite|travaille|cherche|près|vers|"
    "in|op|te|ik|jij|hij|zij|we|wij|jullie|of|maar|want|met|voor|sinds|tijdens|bij|naar|is|ben|"
    "woon|werk|zoek|heb|dat|die|wat|waar"
)
_STREET_WORD = f"(?:{_CAP_WORD}|(?!(?:{_NOT_STREET})\\b){_WORD})"
_PARTICLE = "(?i:de|du|des|la|le|les|aux|au|sur|sous|lez|van|der|den|op|ter|ten|het|naar)"
_ELIDED = "(?:[dlDL]['’])"


def _street_name(word: str, following: str) -> str:
    """A street's name: particles (de la, d', op …) and up to four words; the first is `word`."""
    piece = f"(?:{_PARTICLE}{_SP}+){{0,3}}{_ELIDED}?"
    return f"{piece}{word}(?:{_SP}+{piece}{following}){{0,3}}"


# Street types whose name may be written in lower case, and those that are also common nouns
# ("il reste 1 place libre", "un chemin de carrière"), which need a capitalised name.
_TYPES = "rue|ruelle|avenue|av\\.?|boulevard|bd|bld|chaussée|chée|drève|venelle|rond-point|steenweg"
_COMMON_NOUN_TYPES = (
    "place|square|parvis|galerie|passage|clos|cité|route|montagne|quai|allée|impasse|sentier|chemin|esplanade|"
    "markt|plein|dreef|kaai"
)
_DUTCH_SUFFIXES = "straat|laan|steenweg|plein|dreef|kaai|lei|gracht|singel|dijk|vest|kade|galerij"
_DUTCH_COMMON_SUFFIXES = "markt|plaats|pad|berg|park|hof|weg|wal|poort|baan|veld|dam|tuin"
# Compounds with those endings that are not streets.
_NOT_STREET_COMPOUNDS = (
    "arbeidsmarkt|jobmarkt|banenmarkt|woningmarkt|huurmarkt|werkplaats|stageplaats|woonplaats|"
    "geboorteplaats|parkeerplaats|standplaats|leerpad|onderweg|snelweg|uitweg|omweg|halfweg|loopbaan|"
    "ijsberg|pretpark|gerechtshof|speelplaats"
)

_UNITS = (
    "ans?|mois|jours?|semaines?|heures?|h|min|minutes?|euros?|eur|€|%|fois|personnes|enfants|km|m|ème|e|er|"
    "jaar|jaren|maanden|maand|weken|week|dagen|dag|uur|u|keer|kinderen|mensen|x"
)
_HOUSE_NUMBER = (
    f"(?:(?i:n°|no|nr|numéro|nummer)\\.?{_SP}*)?[1-9]\\d{{0,3}}(?:{_SP}?[A-Za-z](?!\\w))?(?:-\\d{{1,4}})?"
    f"(?![\\w€%]|[.,:]\\d|{_SP}*(?i:{_UNITS})(?!\\w))"
    f"(?:,?{_SP}*(?i:bte|boîte|boite|bt|bus|b)\\.?{_SP}*\\d{{1,4}}[A-Za-z]?(?!\\w)|/\\d{{1,4}}[A-Za-z]?(?!\\w))?"
)
_POSTCODE = f"(?:(?:,?{_SP}+|,)(?:B-?)?[1-9]\\d{{3}}{_SP}+(?!(?:{_NOT_STREET})\\b){_WORD})?"
_BEFORE_NUMBER = f"(?:,?{_SP}+|,)"

_STREET_THEN_NUMBER = re.compile(
    f"(?<!\\w)(?:(?i:{_TYPES}){_SP}+{_street_name(_STREET_WORD, _STREET_WORD)}"
    f"|(?i:{_COMMON_NOUN_TYPES}){_SP}+{_street_name(_CAP_WORD, _STREET_WORD)})"
    f"{_BEFORE_NUMBER}{_HOUSE_NUMBER}{_POSTCODE}"
)
_NUMBER_THEN_STREET = re.compile(
    f"(?<![\\w,.:/'’-])[1-9]\\d{{0,3}}[A-Za-z]?,?{_SP}+"
    f"(?:(?i:{_TYPES}){_SP}+{_street_name(_STREET_WORD, _CAP_WORD)}"
    f"|(?i:{_COMMON_NOUN_TYPES}){_SP}+{_street_name(_CAP_WORD, _CAP_WORD)}){_POSTCODE}"
)
# Dutch compounds (Wetstraat, Sterrenkundelaan), after up to two capitalised words (Koning Albertlaan),
# and the capitalised words before a lone Markt or Plein (Grote Markt).
_COMPOUND_THEN_NUMBER = re.compile(
    f"(?<!\\w)(?:{_CAP_WORD}{_SP}+){{0,2}}"
    f"(?!(?i:{_NOT_STREET_COMPOUNDS})\\b)"
    f"(?:[^\\W\\d_][\\w'’-]{{1,40}}(?i:{_DUTCH_SUFFIXES})|[{_UPPER}][\\w'’-]{{1,40}}(?i:{_DUTCH_COMMON_SUFFIXES})"
    f"|(?<={_SP})(?:Markt|Plein|Kaai|Dreef|Vest))"
    f"{_BEFORE_NUMBER}{_HOUSE_NUMBER}{_POSTCODE}"
)
_WORDS_BEFORE_STREET = re.compile(f"^(?:(?i:{_NOT_STREET}|mijn|mon|adres|adresse){_SP}+)+")


def _addresses(text: str) -> Iterator[Span]:
    for pattern in (_STREET_THEN_NUMBER, _NUMBER_THEN_STREET, _COMPOUND_THEN_NUMBER):
        for match in pattern.finditer(text):
            yield _without_leading_words(text, match.start(), match.end())


def _without_leading_words(text: str, start: int, end: int) -> Span:
    """Drops sentence words caught as a compound's capitalised prefix ("Ik Kerkstraat 3")."""
    leading: re.Match | None = _WORDS_BEFORE_STREET.match(text[start:end])
    return Span(start + (leading.end() if leading else 0), end, "address")
