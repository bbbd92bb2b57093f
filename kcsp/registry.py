"""How the core finds what the apps offer, without importing them.

`kcsp` imports no app. Cross-app features (the home page, site search, the
open data API, the sitemap, e-mail alerts and the daily jobs) discover their
sources here: each app registers them from its own modules (`sources`,
`search`, `api`, `sitemaps`, `alerts`), which Django imports through
`autodiscover`.
"""

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import autodiscover_modules


class Registry[T]:
    """What the apps register of one kind, in the order they register it
    (or sorted by `order`, when given).

    Each thing is kept once, under its `key` (by default the thing itself):
    registering it again replaces it in its place, so a module imported twice
    adds nothing twice.
    """

    def __init__(
        self,
        key: Callable[[T], Hashable] | None = None,
        order: Callable[[T], Any] | None = None,
    ) -> None:
        self._key = key
        self._order = order
        self._items: dict[Hashable, T] = {}

    def register(self, item: T) -> T:
        self._items[item if self._key is None else self._key(item)] = item
        return item

    def get(self, key: Hashable) -> T | None:
        return self._items.get(key)

    def all(self) -> list[T]:
        items = list(self._items.values())
        return items if self._order is None else sorted(items, key=self._order)


@dataclass(frozen=True)
class PageSection[Context]:
    """A block on a page made of what the apps offer: a template, the function
    giving the context it needs, and its place among the others (`order`)."""

    template: str
    context: Context
    order: int = 100


# A block on the home page: its context is `context(request)`.
HomeSection = PageSection[Callable[[HttpRequest], dict[str, Any]]]
# A block on a partnership's page: its context for one partnership is
# `context(request, partnership)`, or None where the partnership has nothing of
# the kind. Its queries must not grow with the partnership's records.
PartnershipSection = PageSection[Callable[[HttpRequest, Any], dict[str, Any] | None]]

_home_sections: Registry[HomeSection] = Registry(order=lambda s: s.order)
register_home_section = _home_sections.register
home_sections = _home_sections.all
_partnership_sections: Registry[PartnershipSection] = Registry(order=lambda s: s.order)
register_partnership_section = _partnership_sections.register
partnership_sections = _partnership_sections.all


# Site search ----------------------------------------------------------------


@dataclass(frozen=True)
class SearchText:
    """What the index stores for one row: its words and the date it belongs to."""

    title: str
    text: str
    date: dt.date | None = None


@dataclass(frozen=True)
class SearchLink:
    """How a result is shown: its heading, address and a line of context."""

    title: str
    url: str
    context: str = ""


@dataclass(frozen=True, kw_only=True)
class SearchSource:
    """Rows of one model that site search can find.

    - `key`: stored with each index entry, e.g. "meetings.paragraph"; never
      change it without rebuilding the index.
    - `kind`, `kind_label`: the content type a searcher can filter by
      ("minutes", "Minutes"); several sources may share a kind.
    - `rows()`: every row to index, with the joins `text` reads.
    - `text(row)`: the words and date to index for one row.
    - `visible(audience)`: the rows this audience may find: by default the
      model's own visibility rule (its queryset's `for_audience`), so that
      publishing, exemption or take-down changes search at once; a model
      without one names the rule it has.
    - `link_fields`: the lookups (from the model, e.g. "meeting__body__name")
      a result's link is made from; they are read for a whole page of results
      in one query.
    - `link(row)`: the heading, address and context of a result, from an
      instance of the model holding only `link_fields` (related rows
      attached); it must not query.
    - `body_path`: lookup from the model to the slug of the body (committee
      or board) the row belongs to, or "" when it belongs to none.
    - `follows`: (model, lookup) pairs: when a row of that model is saved,
      the rows of this source reached by `lookup=<that row>` are re-indexed
      (for example a meeting's date, which its paragraphs are filed under).
    """

    key: str
    kind: str
    kind_label: str
    model: type[Any]
    rows: Callable[[], Any]
    text: Callable[[Any], SearchText]
    link_fields: Sequence[str]
    link: Callable[[Any], SearchLink]
    body_path: str = ""
    follows: Sequence[tuple[type[Any], str]] = field(default_factory=tuple)
    visible: Callable[[Any], Any] | None = None

    def visible_rows(self, audience: Any) -> Any:
        """The rows of the model this audience may find."""
        if self.visible is not None:
            return self.visible(audience)
        return self.model.objects.for_audience(audience)


@dataclass(frozen=True)
class SearchBodies:
    """Choices for the search form's body filter: (slug, name) pairs."""

    choices: Callable[[Any], list[tuple[str, str]]]


_search_sources: Registry[SearchSource] = Registry(key=lambda s: s.key)
_search_bodies: Registry[SearchBodies] = Registry()
search_sources = _search_sources.all
# Offer the bodies a searcher may narrow results to.
register_search_bodies = _search_bodies.register


def register_search_source(source: SearchSource) -> SearchSource:
    """Offer a model's rows to site search and keep its index entries current."""
    _search_sources.register(source)
    from kcsp.search.index import connect_source

    connect_source(source)
    return source


def search_body_choices(audience: Any) -> list[tuple[str, str]]:
    return [choice for b in _search_bodies.all() for choice in b.choices(audience)]


# Open data API and sitemap ------------------------------------------------------


@dataclass(frozen=True)
class ApiEndpoint:
    """A read-only collection of the open data API, e.g. "meetings"."""

    prefix: str
    viewset: type[Any]
    basename: str
    order: int = 100


_api_endpoints: Registry[ApiEndpoint] = Registry(
    key=lambda e: e.prefix, order=lambda e: (e.order, e.prefix)
)
register_api_endpoint = _api_endpoints.register
api_endpoints = _api_endpoints.all
_sitemaps: dict[str, Any] = {}


def register_sitemap(name: str, sitemap: Any) -> Any:
    """Add a `django.contrib.sitemaps.Sitemap` of public pages to sitemap.xml."""
    _sitemaps[name] = sitemap
    return sitemap


def sitemaps() -> dict[str, Any]:
    return dict(_sitemaps)


# Tracked actions ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ActionSource:
    """Where tracked actions of one kind come from, and who may read them.

    - `kind`: the `source_kind` its actions carry, e.g. "resolution".
    - `label`: the kind as lists and filters name it.
    - `public_ids()`: the ids of its actions the public may read (a
      `values("action_id")` queryset), made from the source's own visibility
      rule: an action is public while the minute, plan or review it came
      from is, and leaves public view the moment its source does.
    - `content`: the row of the role table (`kcsp.visibility.Content`) its
      actions belong to beyond that: tracked actions, unless they are, say,
      Domestic Homicide Review material.
    - `open_data`: whether its public actions are in the open data API and
      e-mail alerts.
    - `sign_off_url(action_id)`: for a source that records more of a
      sign-off than the portal does (the DHR board's date and minute), the
      address of its own sign-off screen for that action; the action's page
      then links there and offers no sign-off of its own. None: actions are
      signed off on their page.
    """

    kind: str
    label: str
    public_ids: Callable[[], Any]
    content: Any = None
    open_data: bool = True
    sign_off_url: Callable[[int], str] | None = None


_action_sources: Registry[ActionSource] = Registry(key=lambda s: s.kind)
register_action_source = _action_sources.register
action_sources = _action_sources.all
action_source = _action_sources.get


# Actions of no source: never public, tracked actions in the role table.
OTHER_ACTIONS = ("other", "Other")


def open_action_kinds() -> list[str]:
    """The kinds of action whose public ones are published beyond their own
    source's pages (in the open data API and e-mail alerts)."""
    closed = {s.kind for s in action_sources() if not s.open_data}
    return [kind for kind, _ in action_kind_choices() if kind not in closed]


def action_kind_choices() -> list[tuple[str, str]]:
    """The kinds of action: one per registered source, and "other"."""
    return [*((s.kind, s.label) for s in action_sources()), OTHER_ACTIONS]


# E-mail alerts -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AlertEvent:
    """One thing published that subscribers may be told of.

    - `key`: the event's name, e.g. "agenda-12": a subscriber gets at most
      one e-mail for it, however many of their alerts it matches.
    - `subjects`: what it is about, as (target kind, value) pairs, e.g.
      ("body", "kent-community-safety-partnership") or ("action", "12"): an
      alert on one of them matches; ("partnership", its slug) for all a
      partnership publishes.
    - `lines`: a few lines of what was published, shown under the title.
    - `documents`: (label, address) of the public documents to read, e.g. the
      agenda's PDF, linked under the lines.
    """

    key: str
    kind: str
    published_at: dt.datetime
    title: str
    url: str
    lines: tuple[str, ...] = ()
    subjects: frozenset[tuple[str, str]] = frozenset()
    documents: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        """The words a keyword alert is matched against."""
        return "\n".join((self.title, *self.lines))


@dataclass(frozen=True, kw_only=True)
class AlertSource:
    """Records of one kind that e-mail alerts tell subscribers of.

    - `kind`, `label`: what a subscriber chooses ("minutes", "Published
      minutes"); `order` places it in that choice.
    - `prefix`: begins each event's key ("minutes-7").
    - `rows()`: the records the public may read, with the joins `event`
      reads; it must be made from the model's own visibility rule for the
      public (`for_audience(Audience.PUBLIC)`, as the feeds read it), so that
      nothing restricted, exempt or draft is ever alerted.
    - `published_field`: when each record was published; a record is alerted
      once that time has come, never before.
    - `event(row)`: the event of one record of `rows()`; it must not query.
    - `copies(events)`: who gets some of these events by e-mail as of right
      rather than by subscribing (a body's members its agendas), by event
      key; read in a constant number of queries, as it is at queueing and
      again at sending (one who is no longer among them is sent nothing).
    """

    kind: str
    label: str
    prefix: str
    rows: Callable[[], Any]
    published_field: str
    event: Callable[[Any], AlertEvent]
    copies: Callable[[list[AlertEvent]], dict[str, "AlertCopies"]] | None = None
    order: int = 100


@dataclass(frozen=True, kw_only=True)
class AlertCopies:
    """Those who get one event by e-mail as of right, and what the e-mail
    tells them of it. Their e-mail carries the event as the public sees it,
    like an alert, but no unsubscribe link: they did not subscribe.

    - `to`: their addresses;
    - `reason`: why they get it ("You are a member of ...");
    - `stop`: how to stop it ("Ask the clerk, ...");
    - `sign_in`: whether to say that signing in shows what the public may not
      see (papers a member's role allows).
    """

    to: frozenset[str]
    reason: str
    stop: str
    sign_in: bool = True


@dataclass(frozen=True, kw_only=True)
class AlertTarget:
    """What one can follow by e-mail: a body, an action, a keyword ...

    - `kind`: stored with each subscription ("body"); `label` names it.
    - `describe(value)`: the name of the followed thing as the public sees
      it, or None when there is no such public thing.
    - `choices()`: the things one may follow, (value, name) pairs, when they
      can be listed (bodies can, keywords cannot).
    - `event_kinds`: the kinds of event that make sense for it (an action has
      updates but no agendas); empty for all.
    - `matches(event, value)`: whether an event concerns it; by default,
      whether (kind, value) is among the event's subjects.
    """

    kind: str
    label: str
    describe: Callable[[str], str | None]
    choices: Callable[[], list[tuple[str, str]]] | None = None
    event_kinds: tuple[str, ...] = ()
    matches: Callable[[AlertEvent, str], bool] | None = None
    order: int = 100

    def concerns(self, event: AlertEvent, value: str) -> bool:
        if self.matches is not None:
            return self.matches(event, value)
        return (self.kind, value) in event.subjects


_alert_sources: Registry[AlertSource] = Registry(
    key=lambda s: s.kind, order=lambda s: (s.order, s.kind)
)
_alert_targets: Registry[AlertTarget] = Registry(
    key=lambda t: t.kind, order=lambda t: (t.order, t.kind)
)
register_alert_source = _alert_sources.register
register_alert_target = _alert_targets.register
alert_target = _alert_targets.get
alert_sources = _alert_sources.all
alert_targets = _alert_targets.all


# Where each role starts ------------------------------------------------------------


@dataclass(frozen=True)
class StartPage:
    """The page a reader who sees all of `content` lands on after signing in
    (a `kcsp.visibility.Content`), by URL name; the lowest `order` first."""

    content: Any
    url_name: str
    order: int = 100


_start_pages: Registry[StartPage] = Registry(order=lambda p: p.order)
register_start_page = _start_pages.register
start_pages = _start_pages.all


# Rows that migrations write ----------------------------------------------------

# Which rows an app's migrations write into a new database (as querysets),
# so that a restore tells them apart from records.
_migration_rows: Registry[Callable[[], list[Any]]] = Registry()
register_migration_rows = _migration_rows.register


def migration_rows() -> list[Any]:
    return [queryset for rows in _migration_rows.all() for queryset in rows()]


# Daily jobs ---------------------------------------------------------------

DailyJob = Callable[[dt.date], int]
_daily_jobs: dict[str, DailyJob] = {}


def register_daily_job(name: str) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """A job `manage.py daily` runs once a day: it is given today's date as
    `today` (so a service such as `petitions_close(*, today)` is a job as it
    stands) and returns how many records it acted on. It must be safe to run
    twice."""

    def register(job: Callable[..., int]) -> Callable[..., int]:
        _daily_jobs[name] = lambda today: job(today=today)
        return job

    return register


def daily_jobs() -> list[tuple[str, DailyJob]]:
    return sorted(_daily_jobs.items())


def autodiscover() -> None:
    autodiscover_modules("sources")
    autodiscover_modules("search")
    autodiscover_modules("api")
    autodiscover_modules("sitemaps")
    autodiscover_modules("alerts")
