"""Word pairs: finding phrases through an index.

PostgreSQL's GIN index on the search vector records which words a row has,
not where, so a phrase such as "county lines" is answered by fetching every
row with both words and checking positions row by row. When both words are
common and the phrase is rare, that is most of the table.

Migration 0008 adds the column `pairs` (PostgreSQL only): the set of
adjacent lexeme pairs of a row ('counti line'), with a GIN index of its own.
A phrase in a query becomes a condition on those pairs, which the index
answers directly; the exact phrase is still checked on the rows it leaves.
Pairs are kept for word positions before PostgreSQL's last (16,383, which
every later word of a long paper shares), so a phrase is found in a paper's
first 16,000 words; only words of at most `LONGEST` bytes are paired, and a
query asks for no pair with a longer word.

The pairs are derived from PostgreSQL's own parse of the query (its text
form), and only where the parse says plainly that every match must contain
them: a phrase of plain words that the whole query requires. Anything else
(an "or", a negation, a bracket, a gap left by a stop word, a weight) adds
no condition, so the pairs can narrow a search but never lose a match.
"""

import itertools
import re
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Expression

# One token of a tsquery's text form: a quoted lexeme (quotes doubled,
# backslash escapes) with any :weights or :* suffix, or an operator.
_TOKEN = re.compile(
    r"\s*(?:(?P<lexeme>'(?:[^'\\]|''|\\.)*')(?P<suffix>:[*A-D]+)?"
    r"|(?P<op><->|<\d+>|[&|!()]))"
)
# The longest word (lexeme, in bytes) that is paired: the same as in
# migration 0008's kcsp_word_pairs.
LONGEST = 40
# Any character that can start a phrase inside one word of the search box
# ("anti-social", "O'Brien"), or a quoted phrase: only then is it worth
# asking PostgreSQL for the parse.
_MAY_HOLD_PHRASE = re.compile(r"\"|\w[^\w\s\"]+\w")


def _unquote(literal: str) -> str:
    inner = literal[1:-1]
    return re.sub(r"''|\\(.)", lambda m: m.group(1) or "'", inner)


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def pairs_of_tsquery(text: str) -> list[str]:
    """Adjacent lexeme pairs that every row matching this tsquery (in its
    text form, as PostgreSQL prints it) must contain; [] when the query's
    shape does not guarantee any."""
    tokens: list[tuple[str, str]] = []
    at = 0
    text = text.strip()
    while at < len(text):
        found = _TOKEN.match(text, at)
        if not found or found.end() == at:
            return []
        if found.group("lexeme"):
            kind = "plain" if not found.group("suffix") else "other"
            tokens.append((kind, _unquote(found.group("lexeme"))))
        else:
            tokens.append(("op", found.group("op")))
        at = found.end()
    # Split at the top level's "&"; a top-level "|" means nothing is required.
    conjuncts: list[list[tuple[str, str]]] = [[]]
    depth = 0
    for token in tokens:
        if token == ("op", "("):
            depth += 1
        elif token == ("op", ")"):
            depth -= 1
        if depth == 0 and token == ("op", "|"):
            return []
        if depth == 0 and token == ("op", "&"):
            conjuncts.append([])
        else:
            conjuncts[-1].append(token)
    pairs: list[str] = []
    for conjunct in conjuncts:
        words = conjunct[0::2]
        joins = conjunct[1::2]
        if (
            len(words) < 2
            or any(kind != "plain" for kind, _ in words)
            or any(join != ("op", "<->") for join in joins)
            or len(words) != len(joins) + 1
        ):
            continue
        for (_, first), (_, second) in itertools.pairwise(words):
            if max(len(first.encode()), len(second.encode())) > LONGEST:
                continue
            pair = f"{first} {second}"
            if pair not in pairs:
                pairs.append(pair)
    return pairs


def required_pairs(words: str) -> list[str]:
    """The word pairs a search for `words` (web search syntax, English) needs
    every match to contain. Asks PostgreSQL to parse the words only when they
    could hold a phrase."""
    if connection.vendor != "postgresql" or not _MAY_HOLD_PHRASE.search(words):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT websearch_to_tsquery('english'::regconfig, %s)::text", [words]
        )
        return pairs_of_tsquery(cursor.fetchone()[0])


class HasWordPairs(Expression):
    """True where the search index entry has every one of these word pairs
    (served by the `searchentry_pairs_gin` index)."""

    output_field = BooleanField()

    def __init__(self, pairs: list[str]) -> None:
        super().__init__()
        self.pairs = pairs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        alias = compiler.quote_name(compiler.query.get_initial_alias())
        query = " & ".join(_quote(pair) for pair in self.pairs)
        return f"{alias}.pairs @@ %s::tsquery", (query,)
