"""Reading the search index: ranked, highlighted results a viewer may find.

Every query starts from `visible_entries`, which keeps an entry only while
its source's own queryset (`SearchSource.visible_rows`, the model's
`for_audience`) still returns the row, so a draft, an exempt item, a
restricted paper or an unpublished review cannot be found by anyone its page
would refuse. Those rules are compiled to SQL once a day for each audience
(`_visible_condition`): they depend on the code, the reader and the date,
never on the records.

On PostgreSQL the words are matched against the stored tsvector with the
web search syntax ("county lines", -drugs, knife or violence) in the English
configuration, through the GIN index; a phrase is also matched against the
index of adjacent word pairs (`kcsp.search.phrases`). Ranking reads the
candidates' vectors, so it is bounded: the `CANDIDATES` most recent matches
are ranked by relevance, and a search with more matches says so and suggests
the filters. Highlighted snippets are made for the rows on the page only. On
SQLite the same interface matches words with `icontains`, newest first.
"""

import datetime as dt
import heapq
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import Expression, Window
from django.db.models.functions import Cast
from django.db.models.sql.datastructures import BaseTable
from django.utils import timezone

from kcsp.models import SearchEntry
from kcsp.paging import CountedPaginator, page_number
from kcsp.registry import SearchLink, SearchSource, search_sources
from kcsp.search.links import result_links
from kcsp.search.phrases import HasWordPairs, required_pairs
from kcsp.visibility import Audience

PER_PAGE = 20
CANDIDATES = 500
# Entries read newest first before the search turns to the indexes (see
# `_candidate_ids`).
WALK = 20_000
WALK_FURTHER = 60_000
# The newest entries whose matches are counted first, whoever may read them,
# to choose how the candidates are found (see `_candidate_ids`).
PROBE = 2_000
# Markers the highlighter puts round matched words; never in stored text.
START, STOP = "\x02", "\x03"
NEWEST_FIRST = (F("date").desc(nulls_last=True), F("id").desc())


class EntryVector(Expression):
    """The search index's PostgreSQL-only `vector` column (see SearchEntry)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        alias = compiler.query.get_initial_alias()
        quoted = compiler.quote_name(alias)
        return f"{quoted}.{connection.ops.quote_name('vector')}", ()


def full_text() -> bool:
    """Whether this database has the full-text index (PostgreSQL)."""
    return connection.vendor == "postgresql"


def kind_choices() -> list[tuple[str, str]]:
    """The content types a searcher can choose, in registration order."""
    seen: dict[str, str] = {}
    for source in search_sources():
        seen.setdefault(source.kind, source.kind_label)
    return list(seen.items())


def _sources(kinds: list[str] | None) -> list[SearchSource]:
    return [s for s in search_sources() if not kinds or s.kind in kinds]


def _same_row() -> Q:
    """The source's row an entry describes, for a correlated subquery.

    Written as a range of one (pk >= object_id and pk <= object_id) rather
    than pk = object_id: with an equality PostgreSQL may plan the check as a
    hash of every visible row of the source, built on each search, whose cost
    grows with the archive however few entries are checked. A range is looked
    up in the primary key's index for each entry that reaches the check.
    """
    return Q(pk__gte=OuterRef("object_id"), pk__lte=OuterRef("object_id"))


def visible_entries(
    *, audience: Audience, kinds: list[str] | None = None
) -> QuerySet[SearchEntry]:
    """Entries whose rows this audience may find, by each source's own rule."""
    chosen = _sources(kinds)
    if not chosen:
        return SearchEntry.objects.none()
    return SearchEntry.objects.filter(_visible_condition(audience, chosen))


class _Condition(Expression):
    """A condition on the index's rows as SQL compiled before, for the
    index's table read under its own name (as `visible_entries` gives it)."""

    output_field = BooleanField()

    def __init__(self, sql: str, params: tuple[Any, ...]) -> None:
        super().__init__()
        self.sql, self.params = sql, params

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if compiler.query.get_initial_alias() != SearchEntry._meta.db_table:
            raise AssertionError("A compiled condition reads the index's own table.")
        return self.sql, self.params


# Each audience's visibility rules as compiled SQL, by day (see below).
_CONDITIONS: dict[tuple[Any, ...], _Condition] = {}
_CONDITIONS_KEPT = 256


def _visible_condition(audience: Audience, chosen: list[SearchSource]) -> _Condition:
    """Every chosen source's rule for this audience (an entry's row is one
    its source's `visible_rows` returns), compiled to SQL once a day in each
    process. Building and compiling the rules of every kind of content cost
    more than finding the matches; the SQL depends only on the code, the
    audience and the date (the rules read today's date, and the time only
    in SQL), never on the records, so it is kept without a content version."""
    today = timezone.localdate()
    key = (connection.vendor, audience, tuple(s.key for s in chosen), today)
    condition = _CONDITIONS.get(key)
    if condition is not None:
        return condition
    allowed = reduce(
        or_,
        (
            Q(source=s.key) & Exists(s.visible_rows(audience).filter(_same_row()))
            for s in chosen
        ),
    )
    built = SearchEntry.objects.filter(allowed).query
    sql, params = built.get_compiler(connection=connection).compile(built.where)
    condition = _Condition(sql, tuple(params))
    if timezone.localdate() == today:  # Not built across midnight.
        if len(_CONDITIONS) >= _CONDITIONS_KEPT:
            _CONDITIONS.clear()
        _CONDITIONS[key] = condition
    return condition


def in_body(entries: QuerySet[SearchEntry], slug: str) -> QuerySet[SearchEntry]:
    """Entries of rows that belong to the body with this slug."""
    chosen = [s for s in search_sources() if s.body_path]
    if not chosen:
        return entries.none()
    belongs = reduce(
        or_,
        (
            Q(source=s.key)
            & Exists(s.model.objects.filter(_same_row(), **{s.body_path: slug}))
            for s in chosen
        ),
    )
    return entries.filter(belongs)


def partnership_path(source: SearchSource) -> str:
    """Lookup from the source's rows to their partnership (the model's own
    `partnership_path`), or "" for rows that belong to none."""
    return getattr(source.model.objects.all(), "partnership_path", None) or ""


def in_partnership(entries: QuerySet[SearchEntry], slug: str) -> QuerySet[SearchEntry]:
    """Entries of rows that belong to the partnership with this slug; rows
    of no partnership (a domestic homicide review) are left out."""
    chosen = [s for s in search_sources() if partnership_path(s)]
    if not chosen:
        return entries.none()
    belongs = reduce(
        or_,
        (
            Q(source=s.key)
            & Exists(
                s.model.objects.filter(
                    _same_row(), **{f"{partnership_path(s)}__slug": slug}
                )
            )
            for s in chosen
        ),
    )
    return entries.filter(belongs)


def among(field: str, ids: QuerySet[Any, int] | list[int]) -> Q:
    """Rows whose `field` is one of `ids`. On PostgreSQL a list is sent as
    one array (`= ANY`): an IN list of the thousands of ids a common word
    matches costs more to compile, send and plan than the query costs to
    run. The array goes as one text value ('{1,2,...}'::integer[]): as a
    list, every id would be checked and adapted one by one, which for a
    common word cost more than the rest of the page."""
    if isinstance(ids, list) and connection.vendor == "postgresql":
        literal = "{" + ",".join(str(int(i)) for i in ids) + "}"
        array = Cast(Value(literal), output_field=ArrayField(IntegerField()))
        return Q(_IsAnyOf(F(field), array))
    return Q(**{f"{field}__in": ids})


class _IsAnyOf(Func):
    """`field = ANY(array)`."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


# A match of the search index: the row's id and the date the index keeps
# for it.
Dated = tuple[int, dt.date | None]


def dated_matches(entries: QuerySet[SearchEntry]) -> list[Dated]:
    """The rows `entries` are of, each with its entry's date, in no order:
    sorting a common word's hundred thousand matches cost PostgreSQL more
    than reading them (it spills to disk), and a page needs only the newest
    (`MatchesNewestFirst`)."""
    return list(entries.values_list("object_id", "date"))


class MatchesNewestFirst:
    """The rows of `rows` that are among `matches` (from `dated_matches`),
    read a slice at a time, for a list of rows ordered newest first by the
    same date the index keeps for them (decisions by their meeting's day)
    and narrowed by nothing else that rules out most matches (a committee
    or dates would leave the newest matches' slices short).

    A slice is looked up among the newest matches alone (twice as many as
    it reaches down to, and every other match of the same day as the last
    of them), not among every match: for a common word that is a few dozen
    rows found by their keys, where checking each row of the list in order
    against thousands of matches cost more than the rest of the page. Rows
    of older matches come after every one of those in the list's order, so
    when the lookup fills the slice, the slice is the one the whole list
    gives. When it does not (matches the reader may not see, or the end of
    the list), up to `WIDER` times as many are looked up, twice as many at
    a time, and then every match, as they are when a match has no date.

    The index's dates are rewritten with every save of a row or what it
    follows (`kcsp.search.index`); rows changed without signals are brought
    up to date by `manage.py search_index`, as they are for matching itself.
    """

    # The furthest the newest matches are widened before every match is
    # looked up: each round costs a pass over the matches.
    WIDER = 4

    def __init__(self, rows: QuerySet[Any], matches: list[Dated]) -> None:
        self.rows = rows
        self.matches = matches
        self._dates = [date for _, date in matches if date is not None]

    def __getitem__(self, index: slice) -> list[Any]:
        if not isinstance(index, slice) or index.stop is None or index.step:
            raise TypeError("A slice with an end and no step is read.")
        start, stop = index.start or 0, index.stop
        if stop <= start:
            return []
        every_dated = len(self._dates) == len(self.matches)
        widest = 2 * stop * self.WIDER if every_dated else 0
        reach = 2 * stop
        while reach <= widest and reach < len(self.matches):
            found = list(self.rows.filter(among("pk", self._newest(reach)))[start:stop])
            if len(found) == stop - start:
                return found
            reach *= 2
        every = [pk for pk, _ in self.matches]
        return list(self.rows.filter(among("pk", every))[start:stop])

    def _newest(self, reach: int) -> list[int]:
        """The ids of the newest `reach` matches and of every other match of
        the last one's day."""
        last = heapq.nlargest(reach, self._dates)[-1]
        return [pk for pk, date in self.matches if date is not None and date >= last]


def web_query(words: str) -> SearchQuery:
    return SearchQuery(words, search_type="websearch", config="english")


@dataclass(frozen=True)
class Terms:
    """A query as the SQLite fallback reads it: words or "phrases", -excluded."""

    include: list[str]
    exclude: list[str]


_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


def parse_terms(words: str) -> Terms:
    include: list[str] = []
    exclude: list[str] = []
    for quoted_minus, phrase, minus, word in _TOKEN.findall(words):
        term = (phrase or word).strip().strip('"')
        if not term or (not phrase and term.lower() == "or"):
            continue
        (exclude if (quoted_minus or minus) else include).append(term)
    return Terms(include=include[:10], exclude=exclude[:10])


def _holding_words(entries: QuerySet[SearchEntry], words: str) -> QuerySet[SearchEntry]:
    """Entries whose stored vector matches `words` (PostgreSQL)."""
    return entries.alias(vector=EntryVector()).filter(vector=web_query(words))


def matching(entries: QuerySet[SearchEntry], words: str) -> QuerySet[SearchEntry]:
    """Entries whose title or text match `words` (web search syntax)."""
    if full_text():
        entries = _holding_words(entries, words)
        pairs = required_pairs(words)
        return entries.filter(HasWordPairs(pairs)) if pairs else entries
    terms = parse_terms(words)
    if not terms.include:
        return entries.none()
    for term in terms.include:
        entries = entries.filter(Q(title__icontains=term) | Q(text__icontains=term))
    for term in terms.exclude:
        entries = entries.exclude(Q(title__icontains=term) | Q(text__icontains=term))
    return entries


# Results ----------------------------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    text: str
    match: bool


@dataclass
class Hit:
    kind_label: str
    link: SearchLink
    date: dt.date | None
    snippet: list[Fragment] = field(default_factory=list)


@dataclass
class ResultsPage:
    hits: list[Hit]
    page: Page
    total: int

    @property
    def capped(self) -> bool:
        """More matched than are ranked: the filters would find the rest."""
        paginator = self.page.paginator
        return isinstance(paginator, CountedPaginator) and paginator.more


def fragments(marked: str) -> list[Fragment]:
    """Split highlighter output into plain and matched runs (no HTML here:
    the template marks the matches)."""
    parts: list[Fragment] = []
    for run in re.split(f"({START}[^{STOP}]*{STOP})", marked or ""):
        if not run:
            continue
        if run.startswith(START):
            parts.append(Fragment(run.strip(START + STOP), True))
        else:
            parts.append(Fragment(run.replace(START, "").replace(STOP, ""), False))
    return parts


def _fallback_snippet(text: str, words: str, width: int = 220) -> str:
    """The stretch of `text` round the first match, matches marked."""
    terms = [t for t in parse_terms(words).include if t]
    if not text or not terms:
        return text[:width]
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    found = pattern.search(text)
    start = max(0, found.start() - width // 3) if found else 0
    piece = text[start : start + width]
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", piece)
    return (
        ("… " if start else "") + marked + (" …" if start + width < len(text) else "")
    )


def _snippets(ids: list[int], words: str) -> dict[int, str]:
    """Highlighted extracts for these entries only (the rows on the page)."""
    if not ids:
        return {}
    rows = SearchEntry.objects.filter(id__in=ids)
    if full_text():
        return dict(
            rows.annotate(
                snippet=SearchHeadline(
                    "text",
                    web_query(words),
                    config="english",
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            ).values_list("id", "snippet")
        )
    return {
        pk: _fallback_snippet(text, words)
        for pk, text in rows.values_list("id", "text")
    }


# Stand-ins for a stretch's LIMIT and OFFSET among a compiled statement's
# parameters, found again by identity (see `_stretches`).
_LIMIT, _OFFSET = object(), object()


class _NewestRows(BaseTable):
    """A stretch of the index in newest-first order, standing in for the
    whole table; its LIMIT and OFFSET are parameters, `_LIMIT` and
    `_OFFSET` when compiled, given values for each stretch read."""

    def relabeled_clone(self, change_map: dict[Any, str]) -> "_NewestRows":
        alias = change_map.get(self.table_alias) or str(self.table_alias)
        return _NewestRows(self.table_name, alias)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return _newest_rows_sql(self.table_name, str(self.table_alias)), (
            _LIMIT,
            _OFFSET,
        )


def _newest_rows_sql(table_name: str, alias: str) -> str:
    quote = connection.ops.quote_name
    table, alias = quote(table_name), quote(alias)
    order = "date DESC NULLS LAST, id DESC"
    # Only the model's own table and its alias are written in.
    return f"(SELECT * FROM {table} ORDER BY {order} LIMIT %s OFFSET %s) {alias}"  # noqa: S608


@dataclass(frozen=True)
class _Stretches:
    """One compiled statement read three ways: a stretch of the newest
    entries (`stretch`) or the whole table (`everywhere`)."""

    sql: str
    params: tuple[Any, ...]
    stretch_from: str
    table_from: str

    def stretch(self, *, offset: int, limit: int) -> tuple[str, list[Any]]:
        values = {id(_LIMIT): limit, id(_OFFSET): offset}
        return self.sql, [values.get(id(p), p) for p in self.params]

    def everywhere(self) -> tuple[str, list[Any]]:
        params = [p for p in self.params if p is not _LIMIT and p is not _OFFSET]
        return self.sql.replace(self.stretch_from, self.table_from, 1), params


def _stretches(entries: QuerySet[Any]) -> _Stretches:
    """`entries` compiled once (the visibility rules' subqueries cost more
    to compile than the search costs to run) with the table standing for a
    stretch of the newest entries."""
    stretch = entries.all()
    alias = stretch.query.get_initial_alias()
    table = stretch.query.alias_map[alias].table_name
    stretch.query.alias_map[alias] = _NewestRows(table, alias)
    sql, params = stretch.query.get_compiler(using=stretch.db).as_sql()
    stretch_from = _newest_rows_sql(table, alias)
    if sql.count(stretch_from) != 1 or sum(p is _LIMIT for p in params) != 1:
        raise AssertionError(f"The index's table is read once: {sql}")
    # As the compiler writes a table in FROM (with its alias if it has one).
    table_from = BaseTable(table, alias).as_sql(
        stretch.query.get_compiler(using=stretch.db), connection
    )[0]
    return _Stretches(
        sql=sql, params=tuple(params), stretch_from=stretch_from, table_from=table_from
    )


def _newest_first(row: tuple[int, dt.date | None]) -> tuple[bool, int, int]:
    pk, date = row
    return (date is None, -date.toordinal() if date else 0, -pk)


def _matches_near_the_top(words: str) -> int:
    """How many of the newest `PROBE` entries match `words`, whoever may
    read them: one short read in index order, with little to plan (the
    word pairs only narrow what the vector matches, so they are left out)."""
    newest = _stretches(_holding_words(SearchEntry.objects.all(), words).values("id"))
    sql, params = newest.stretch(offset=0, limit=PROBE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS near", params)  # noqa: S608
        (found,) = cursor.fetchone()
    return int(found)


def _candidate_ids(
    entries: QuerySet[SearchEntry], words: str, *, narrowed: bool = False
) -> list[int]:
    """The newest `CANDIDATES` matches, fetched first as a list: nested as a
    subquery, the planner would rank the whole table to find a page's rows.

    On PostgreSQL, by the cheapest way for how common the words are, judged
    by the matches among the newest `PROBE` entries (whoever may read them),
    in one statement after that look:

    - none: a rare word, or one of long ago; the indexes give every match in
      the table and the newest are taken;
    - so many that the newest `WALK` entries promise half as many again as
      are wanted, and nothing but the words narrows the search (`narrowed`:
      a committee, a kind of content or dates, which the count does not
      know): those are read in order and checked one by one, which is
      enough for common words;
    - otherwise, in one statement, the newest `WALK` entries are read that
      way; if they held some matches but too few, the next `WALK_FURTHER`
      (about a microsecond an entry); otherwise, or if still too few, the
      indexes give every match (a few microseconds a match, so the cheaper
      way once matches are rare).

    The planner cannot make this choice from its statistics: words that
    occur together (like "domestic abuse") or the parts of "anti-social"
    are estimated as rare, and sorting every match of a common word grows
    with the archive. Planning a way, with every source's visibility rule,
    takes several milliseconds, so a common or a rare word has only its
    own planned; the look costs one or two.
    """
    newest = entries.order_by(*NEWEST_FIRST).values_list("id", "date")[:CANDIDATES]
    if not full_text():
        return [pk for pk, _ in newest]
    try:
        compiled = _stretches(newest)
    except EmptyResultSet:  # entries.none(): nothing to look for
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        # The visibility subqueries inflate the estimated cost past the JIT
        # thresholds, and compiling takes far longer (over a second) than
        # the search itself.
        cursor.execute("SET LOCAL jit = off")
        near = _matches_near_the_top(words)
        if not near:
            cursor.execute(*compiled.everywhere())
            return [pk for pk, _ in cursor.fetchall()]
        if not narrowed and near * WALK >= PROBE * CANDIDATES * 3 // 2:
            cursor.execute(*compiled.stretch(offset=0, limit=WALK))
            first = cursor.fetchall()
            # Fewer only when most of the matches are hidden from this reader.
            if len(first) >= CANDIDATES:
                return [pk for pk, _ in first]
        cursor.execute(*_walk_then_everywhere(compiled))
        rows = cursor.fetchall()
    walked = sorted(
        ((pk, date) for pk, date, whole in rows if not whole), key=_newest_first
    )
    if len(walked) >= CANDIDATES:
        return [pk for pk, _ in walked[:CANDIDATES]]
    return [pk for pk, _, whole in rows if whole]


def _walk_then_everywhere(compiled: _Stretches) -> tuple[str, list[Any]]:
    """One statement of the three ways: the first stretch, the next one when
    the first held some matches but too few, and the indexes when the two
    held too few; each row says whether it came from the indexes."""
    first_sql, first_params = compiled.stretch(offset=0, limit=WALK)
    further_sql, further_params = compiled.stretch(offset=WALK, limit=WALK_FURTHER)
    all_sql, all_params = compiled.everywhere()
    # Every part is the ORM's own SQL, with its values as parameters.
    statement = (
        f"WITH first AS MATERIALIZED ({first_sql}), "  # noqa: S608
        f"further AS MATERIALIZED (SELECT * FROM ({further_sql}) AS further_rows "
        "  WHERE (SELECT count(*) FROM first) BETWEEN %s AND %s), "
        "found AS (SELECT (SELECT count(*) FROM first) "
        "  + (SELECT count(*) FROM further) AS n) "
        "SELECT id, date, false FROM first "
        "UNION ALL SELECT id, date, false FROM further "
        f"UNION ALL SELECT id, date, true FROM ({all_sql}) AS everywhere "
        "  WHERE (SELECT n FROM found) < %s"
    )
    # Read further when the first stretch's matches promise enough in both.
    further_from = CANDIDATES * WALK // (WALK + WALK_FURTHER)
    params = [
        *first_params,
        *further_params,
        further_from,
        CANDIDATES - 1,
        *all_params,
        CANDIDATES,
    ]
    return statement, params


def _ranked(
    entries: QuerySet[SearchEntry], words: str, narrowed: bool
) -> QuerySet[Any]:
    found = _candidate_ids(entries, words, narrowed=narrowed)
    ranked = SearchEntry.objects.filter(among("id", found))
    if full_text():
        rank: Any = SearchRank(EntryVector(), web_query(words), normalization=1)
    else:
        rank = Value(0.0, output_field=FloatField())
    return ranked.annotate(rank=rank, total=Window(Count("id"))).order_by(
        F("rank").desc(), *NEWEST_FIRST
    )


def search_page(
    *,
    entries: QuerySet[SearchEntry],
    words: str,
    page: Any = 1,
    per_page: int = PER_PAGE,
    narrowed: bool = False,
) -> ResultsPage:
    """One page of results for `words` among `entries` (already narrowed to
    what the viewer may find, and `narrowed` when a filter other than the
    words narrows them too), most relevant first, with snippets and links.

    Costs a fixed number of queries: the candidates (in a transaction of
    their own on PostgreSQL), the ranked page with the total, the snippets,
    and the links of every kind of result on the page.
    """
    number = page_number(page) or 1
    ranked = _ranked(entries, words, narrowed).values(
        "id", "source", "object_id", "date", "total"
    )
    rows = list(ranked[(number - 1) * per_page : number * per_page])
    total = rows[0]["total"] if rows else (ranked.count() if number > 1 else 0)
    paged = CountedPaginator(range(total), per_page, more=total >= CANDIDATES).get_page(
        number
    )
    if not rows and paged.number != number and total:
        rows = list(ranked[(paged.number - 1) * per_page : paged.number * per_page])
    snippets = _snippets([r["id"] for r in rows], words)
    sources = {s.key: s for s in search_sources()}
    by_source: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row["source"] in sources:
            by_source[row["source"]].append(row["object_id"])
    links = result_links([(sources[key], ids) for key, ids in by_source.items()])
    hits = []
    for row in rows:
        source = sources.get(row["source"])
        link = links.get((row["source"], row["object_id"]))
        if source is None or link is None:
            continue
        hits.append(
            Hit(
                kind_label=source.kind_label,
                link=link,
                date=row["date"],
                snippet=fragments(snippets.get(row["id"], "")),
            )
        )
    return ResultsPage(hits=hits, page=paged, total=total)
