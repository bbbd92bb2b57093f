"""People's names as minutes and attendance lists write them.

Minutes write a person formally ("Mr P M Hill, OBE", "Chief Inspector R
Nyman", "T/Supt Russell"), in everyday form ("Shafick Peerbux") or briefly
("Mr Rivers"). `parse_name` splits such a string into the parts the portal's
Person model keeps (title, forenames, initials, known_as, surname, honours)
and says, in `warnings`, whatever it had to leave out or could not read.
`split_capacity` separates the bracketed capacity that attendance lists put
after a name.
"""

import re

from imports.record import ParsedName

__all__ = ["HONOURS", "TITLES", "ParsedName", "parse_name", "split_capacity"]

# Titles as sequences of lower-case words without full stops. Multi-word
# ranks are listed whole so that "Chief Inspector" is one title, not a
# title followed by a forename.
TITLES: frozenset[tuple[str, ...]] = frozenset(
    tuple(title.split())
    for title in (
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "baroness",
        "rev",
        "revd",
        "reverend",
        "rt hon",
        "the rt hon",
        "cllr",
        "councillor",
        "alderman",
        "supt",
        "superintendent",
        "chief supt",
        "ch supt",
        "chief superintendent",
        "det supt",
        "detective superintendent",
        "detective chief superintendent",
        "insp",
        "inspector",
        "chief insp",
        "ch insp",
        "chief inspector",
        "det insp",
        "detective inspector",
        "det ch insp",
        "detective chief inspector",
        "sgt",
        "sergeant",
        "det sgt",
        "detective sergeant",
        "detective constable",
        "police constable",
        "chief constable",
        "deputy chief constable",
        "assistant chief constable",
        "commander",
        "chief fire officer",
        "deputy chief fire officer",
        "assistant chief fire officer",
        "area manager",
        "group manager",
        "station manager",
    )
)

# Police abbreviations that are also everyday words or names ("Di", "Pc"):
# they count as titles only in capitals, exactly as written.
_UPPER_CASE_TITLES = frozenset(
    {"DS", "DC", "DI", "DCI", "DSupt", "DCS", "PC", "PCSO", "ACC", "DCC"}
)

# Post-nominals. Anything else after a comma is reported, not guessed.
HONOURS = frozenset(
    {
        "OBE",
        "MBE",
        "CBE",
        "KBE",
        "DBE",
        "GBE",
        "CH",
        "CB",
        "CMG",
        "KCMG",
        "CVO",
        "LVO",
        "MVO",
        "QPM",
        "KPM",
        "QFSM",
        "KFSM",
        "BEM",
        "JP",
        "DL",
        "MP",
        "MEP",
        "QC",
        "KC",
        "FRSA",
        "PhD",
        "MBA",
    }
)

# Lower-case words that belong to the surname that follows them.
_SURNAME_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "du", "da", "di", "del", "della", "la", "le"}
)

_MAX_TITLE_WORDS = 6

# A temporary or acting rank is written "T/Supt" or "A/Insp".
_RANK_PREFIX = re.compile(r"^[TA]/", re.IGNORECASE)
# One or more initials, with or without full stops: "P", "P.", "P.M.".
_DOTTED_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]?|[A-Z]")
# Initials run together in capitals ("PM") when a surname follows.
_RUN_TOGETHER_INITIALS = re.compile(r"[A-Z]{2,3}")
# A word of a name: letters, with hyphens and apostrophes inside
# ("Barrington-King", "O'Brien").
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# An everyday name in quotes, straight or curly: Michael "Mike" Hill.
_OPEN_QUOTES = "\"'\u2018\u201c"
_CLOSE_QUOTES = "\"'\u2019\u201d"
_KNOWN_AS = re.compile(
    rf"(?:^|(?<=\s))[{_OPEN_QUOTES}](?P<known_as>[^{_CLOSE_QUOTES}]+)"
    rf"[{_CLOSE_QUOTES}](?=\s|$)"
)


def split_capacity(text: str) -> tuple[str, str]:
    """Split "Name (capacity)" into the name and the bracketed capacity.

    Only a balanced bracket group at the very end counts, so nested brackets
    stay whole: "Ms D Fitch (Assistant Manager (Policy))" gives
    ("Ms D Fitch", "Assistant Manager (Policy)"). Without such a group the
    capacity is "" and the text is returned stripped.
    """
    stripped = text.strip()
    if not stripped.endswith(")"):
        return stripped, ""
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        char = stripped[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                name = stripped[:index].strip()
                capacity = stripped[index + 1 : -1].strip()
                if not name:
                    return stripped, ""
                return name, capacity
    return stripped, ""


def parse_name(text: str) -> ParsedName:
    """Split a written name into title, forenames or initials, surname, honours.

    Understands formal forms ("Mr P M Hill, OBE", "Supt L Russell",
    "T/Supt Russell", "Chief Inspector R Nyman", "DS Burns", "Cllr Jane
    Smith") and everyday ones ("Shafick Peerbux", "Mike Hill OBE"). Never
    raises and never drops text silently: anything it cannot place is named
    in `warnings`, and the whole input stays in `raw`.
    """
    warnings: list[str] = []
    value = " ".join(text.replace("\u00a0", " ").split())
    if not value:
        return ParsedName(raw=text, warnings=("empty name",))

    known_as = ""
    if match := _KNOWN_AS.search(value):
        known_as = match["known_as"].strip()
        value = " ".join((value[: match.start()] + value[match.end() :]).split())

    head, *after_commas = (part.strip() for part in value.split(","))
    honours: list[str] = []
    for part in after_commas:
        tokens = part.split()
        if tokens and all(token in HONOURS for token in tokens):
            honours.extend(tokens)
        elif part:
            warnings.append(f"text after a comma is not a known honour: {part!r}")

    tokens = head.split()
    title_tokens, tokens = _take_title(tokens)
    trailing: list[str] = []
    while len(tokens) > 1 and tokens[-1] in HONOURS:
        trailing.insert(0, tokens.pop())
    honours = trailing + honours

    surname, middle = _take_surname(tokens)
    forenames, initials = _forenames_and_initials(middle)

    if not surname:
        warnings.append("no surname")
    elif not (title_tokens or middle or known_as):
        warnings.append("a single word with no title: taken as the surname")
    for word in [*middle, *surname.split()]:
        if not _DOTTED_INITIALS.fullmatch(word) and not _NAME_WORD.fullmatch(word):
            warnings.append(f"unexpected characters in name: {word!r}")
    if surname and surname.split()[-1][:1].islower():
        warnings.append(f"surname does not start with a capital: {surname!r}")

    return ParsedName(
        raw=text,
        title=" ".join(title_tokens),
        forenames=forenames,
        initials=initials,
        known_as=known_as,
        surname=surname,
        honours=" ".join(honours),
        warnings=tuple(warnings),
    )


def _title_key(token: str, first: bool) -> str:
    key = token.lower().rstrip(".")
    return _RANK_PREFIX.sub("", key) if first else key


def _take_title(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Consume leading titles, longest match first ("Cllr Mrs" is two)."""
    taken: list[str] = []
    index = 0
    # Real names carry at most a few titles ("The Rt Hon", "Cllr Mrs").
    while index < len(tokens) and len(taken) < _MAX_TITLE_WORDS:
        for length in (4, 3, 2, 1):
            words = tokens[index : index + length]
            if len(words) < length:
                continue
            if length == 1 and _RANK_PREFIX.sub("", words[0]) in _UPPER_CASE_TITLES:
                break
            key = tuple(_title_key(word, i == 0) for i, word in enumerate(words))
            if key in TITLES:
                break
        else:
            break
        if taken and index + length >= len(tokens):
            # "Mr Sergeant": a word that could be a title is the surname.
            break
        taken.extend(tokens[index : index + length])
        index += length
    return taken, tokens[index:]


def _take_surname(tokens: list[str]) -> tuple[str, list[str]]:
    """The last word with any particles before it ("de Souza")."""
    if not tokens:
        return "", []
    start = len(tokens) - 1
    while start > 0 and tokens[start - 1] in _SURNAME_PARTICLES:
        start -= 1
    return " ".join(tokens[start:]), tokens[:start]


def _forenames_and_initials(words: list[str]) -> tuple[str, str]:
    if not words:
        return "", ""
    letters: list[str] = []
    for word in words:
        if _DOTTED_INITIALS.fullmatch(word) or _RUN_TOGETHER_INITIALS.fullmatch(word):
            letters.extend(char for char in word if char.isalpha())
        else:
            return " ".join(words), ""
    return "", " ".join(letters)
