"""Bringing a council's history in from its ModernGov committee system.

`moderngov_import` reads GetCommittees, GetMeetings and GetMeeting responses
(live or saved, see `moderngov_source`) and writes them into the portal; each
meeting goes in as its record (`parsers.moderngov_record`) through the one
writer (`imports.writer`), and this module adds what only ModernGov brings:
bodies, papers and memberships.

- committees become bodies, keyed on the committee id. A deleted committee
  is kept but not published; an expired or deleted one gets an end date
  (`active_until`): the date of its last meeting read, else the day before
  the import. The slug comes from the title; the kind from words in it
  ("scrutiny", "select", "working group", "sub-committee"), otherwise a
  partnership board.
- meetings keep their date and time ("10.00 am", Europe/London), location
  as venue (online when it says so), and status: Cancelled and Postponed
  as such, otherwise held once the date has passed, agenda published when
  ModernGov says so, else scheduled.
- agenda items go into lettered sections: a display number that carries a
  letter ("B1") gives its section and position; a plain number ("9.")
  goes into section A, titled "Agenda", at that position, so item "9."
  is A9. A restricted item is exempt, under the Schedule 12A paragraph its
  `restrictionsRef` names, else paragraph 1 and a warning; an item not for
  display is exempt too (the portal cannot hide an item's title).
- documents keep their title, kind (from the title), address, publication
  date and restriction; their files are fetched only live (GetAttachment),
  checked by content like any upload, and only once.
- minutes HTML becomes draft minutes, one minute item per agenda item with
  a `minutesitemnumber`, its text as the portal's light markup (paragraphs,
  "- " bullets, **bold**, links) with RESOLVED blocks as resolutions.
  Minutes a clerk has edited, added to or published in the portal are left
  alone.
- attendees become people (found by their member id, then by name, else
  created), memberships of the body (role, political group, first and last
  meeting seen) and attendance.

Every record carries provenance (`source_system` "moderngov", the source's
id); running the import again updates records in place and never
duplicates them, and the report says what was created, updated or
unchanged, and everything it could not place.
"""

import datetime as dt
import io
import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from imports.moderngov_source import DateRange, FetchError, ModernGovSource
from imports.parsers import document_kind
from imports.parsers.moderngov import (
    MgAgendaItem,
    MgAttendee,
    MgCommittee,
    MgDocument,
    MgMeeting,
    MgMeetingSummary,
    ModernGovError,
    parse_committees,
    parse_meeting,
    parse_meetings,
)
from imports.parsers.moderngov_record import (
    meeting_record,
    membership_role,
    restriction,
)
from imports.people import PeopleFinder
from imports.report import ImportReport
from imports.writer import WriteRules, meeting_record_write
from kcsp.formatting import long_date
from kcsp.models import Person
from kcsp.provenance import Source, assign, fit, imported_save, stamp
from kcsp.uploads import KINDS, UnsafeArchive, sniff
from kcsp.visibility import Visibility
from kcsp.workdays import local_datetime
from meetings import services
from meetings.models import AgendaItem, Body, Document, Meeting, Membership

__all__ = ["MODERNGOV_SOURCE", "moderngov_import"]

MODERNGOV_SOURCE = "moderngov"

# Warnings of the parser that are normal in real responses: these optional
# times and the room are often empty.
_EXPECTED_EMPTY = re.compile(
    r"<(?:meetingactualstarttime|meetingactualfinishtime|meetingplannedfinishtime"
    r"|meetingroom|restrictionsRef)> is empty"
)
_PARTIES = {
    "con": Membership.PoliticalGroup.CONSERVATIVE,
    "conservative": Membership.PoliticalGroup.CONSERVATIVE,
    "conservatives": Membership.PoliticalGroup.CONSERVATIVE,
    "lab": Membership.PoliticalGroup.LABOUR,
    "labour": Membership.PoliticalGroup.LABOUR,
    "labour and co-operative": Membership.PoliticalGroup.LABOUR,
    "ld": Membership.PoliticalGroup.LIBERAL_DEMOCRAT,
    "lib dem": Membership.PoliticalGroup.LIBERAL_DEMOCRAT,
    "lib dems": Membership.PoliticalGroup.LIBERAL_DEMOCRAT,
    "liberal democrat": Membership.PoliticalGroup.LIBERAL_DEMOCRAT,
    "liberal democrats": Membership.PoliticalGroup.LIBERAL_DEMOCRAT,
    "grn": Membership.PoliticalGroup.GREEN,
    "green": Membership.PoliticalGroup.GREEN,
    "green party": Membership.PoliticalGroup.GREEN,
    "ref": Membership.PoliticalGroup.REFORM,
    "reform": Membership.PoliticalGroup.REFORM,
    "reform uk": Membership.PoliticalGroup.REFORM,
    "ind": Membership.PoliticalGroup.INDEPENDENT,
    "independent": Membership.PoliticalGroup.INDEPENDENT,
}


def _body_kind(title: str) -> str:
    words = title.lower()
    if "scrutiny" in words:
        return Body.Kind.SCRUTINY_COMMITTEE
    if "select committee" in words:
        return Body.Kind.SELECT_COMMITTEE
    if re.search(r"\b(?:working|task(?: and finish)?) group\b", words):
        return Body.Kind.WORKING_GROUP
    if re.search(r"\bsub[- ]?(?:committee|group|panel)\b", words):
        return Body.Kind.SUB_GROUP
    return Body.Kind.PARTNERSHIP_BOARD


def _document_kind(title: str, owner_title: str) -> str:
    return Document.Kind(document_kind(title, owner_title).value)


# The import -------------------------------------------------------------------


class _ModernGovImport:
    def __init__(
        self,
        *,
        source: ModernGovSource,
        committees: Sequence[str],
        dates: DateRange,
        fetch_files: bool,
        dry_run: bool,
        now: dt.datetime,
    ) -> None:
        self.source = source
        self.wanted = [value.strip() for value in committees if value.strip()]
        self.dates = dates
        self.fetch_files = fetch_files and source.live and not dry_run
        self.dry_run = dry_run
        self.now = now
        self.today = timezone.localdate(now)
        self.report = ImportReport(
            title=f"ModernGov import from {source.description}", dry_run=dry_run
        )
        self.people = PeopleFinder(report=self.report, system=MODERNGOV_SOURCE, now=now)
        self.rules = WriteRules(system=MODERNGOV_SOURCE, name="ModernGov")
        self.bodies: dict[int, Body] = {}
        self.documents_seen: set[int] = set()

    # -- the run ---------------------------------------------------------------

    def run(self) -> ImportReport:
        try:
            committees = self.read_committees()
            summaries = self.read_meeting_lists(committees)
            for committee in committees:
                self.import_body(committee, summaries)
            for summary in summaries:
                self.import_meeting(summary)
        except (FetchError, ModernGovError) as error:
            done = "" if self.dry_run else " Meetings imported before it stay imported."
            self.report.fail(f"{error}.{done}")
        return self.report

    def read_committees(self) -> list[MgCommittee]:
        problems: list[str] = []
        committees = parse_committees(self.source.committees(), warnings=problems)
        self._warn_all(problems)
        chosen = []
        matched: set[str] = set()
        for committee in committees:
            if committee.id is None:
                self.report.warn(
                    f"committee {committee.title!r} has no id: not imported"
                )
                continue
            if self.wanted:
                hits = {
                    value
                    for value in self.wanted
                    if value == str(committee.id)
                    or value.casefold() == committee.title.casefold()
                }
                if not hits:
                    continue
                matched |= hits
            self._warn_all(committee.warnings)
            chosen.append(committee)
        for value in self.wanted:
            if value not in matched:
                self.report.warn(f"no committee has the id or title {value!r}")
        return chosen

    def read_meeting_lists(
        self, committees: list[MgCommittee]
    ) -> list[MgMeetingSummary]:
        ids = [c.id for c in committees if c.id is not None]
        summaries: dict[int, MgMeetingSummary] = {}
        for name, content in self.source.meeting_lists(ids, self.dates):
            problems: list[str] = []
            try:
                listed = parse_meetings(content, warnings=problems)
            except ModernGovError as error:
                self.report.warn(f"{name}: {error}; its meetings were not imported")
                continue
            self._warn_all(problems)
            for summary in listed:
                if summary.committee_id not in ids:
                    continue
                self._warn_all(summary.warnings)
                if summary.id is None:
                    self.report.warn(
                        f"{name}: a meeting of {summary.committee_title} has no id: "
                        "not imported"
                    )
                    continue
                if summary.date is not None and summary.date not in self.dates:
                    continue
                summaries.setdefault(summary.id, summary)
        return sorted(
            summaries.values(),
            key=lambda s: (s.date or dt.date.min, s.id or 0),
        )

    def _warn_all(self, problems: Sequence[str]) -> None:
        for problem in problems:
            if not _EXPECTED_EMPTY.search(problem):
                self.report.warn(problem)

    # -- bodies ----------------------------------------------------------------

    def import_body(
        self, committee: MgCommittee, summaries: list[MgMeetingSummary]
    ) -> None:
        if committee.id is None:  # read_committees leaves these out
            return
        title = fit(Body, "name", committee.title) or f"Committee {committee.id}"
        body = Body.objects.filter(
            source_system=MODERNGOV_SOURCE, source_id=str(committee.id)
        ).first()
        created = body is None
        if body is None:
            same_name = Body.objects.filter(name__iexact=title).first()
            if same_name is not None:
                # A body a clerk set up before the import: used as it is.
                self.bodies[committee.id] = same_name
                self.report.count("body", "matched")
                return
            body = Body(
                name=title,
                slug=self._slug(title, committee.id),
                kind=_body_kind(title),
                is_public=not committee.deleted,
            )
            stamp(
                body,
                Source(
                    system=MODERNGOV_SOURCE,
                    id=str(committee.id),
                    url=self.source.committee_url(committee.id),
                    at=self.now,
                ),
            )
        changed = assign(body, {"name": title})
        if committee.deleted and body.is_public:
            body.is_public = False
            changed = True
        if (committee.expired or committee.deleted) and body.active_until is None:
            body.active_until = self._closing_date(body, committee.id, summaries)
            changed = True
        try:
            with transaction.atomic():
                outcome = imported_save(
                    body, created=created, changed=changed, at=self.now
                )
        except ValidationError as error:
            kept = "" if created else "; the body was kept as it was"
            self.report.warn(
                f"committee {committee.id} ({committee.title}) could not be saved: "
                f"{' '.join(error.messages)}{kept}"
            )
            if created:
                return
            body.refresh_from_db()
        else:
            self.report.count("body", outcome)
        self.bodies[committee.id] = body

    def _slug(self, title: str, committee_id: int) -> str:
        base = slugify(title)[:90].strip("-") or f"committee-{committee_id}"
        slug, n = base, 2
        while Body.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _closing_date(
        self, body: Body, committee_id: int, summaries: list[MgMeetingSummary]
    ) -> dt.date:
        dates = [s.date for s in summaries if s.committee_id == committee_id and s.date]
        if body.pk:
            last = body.meetings.order_by("-start").first()
            if last is not None:
                dates.append(last.date)
        return max(dates) if dates else self.today - dt.timedelta(days=1)

    # -- meetings --------------------------------------------------------------

    def import_meeting(self, summary: MgMeetingSummary) -> None:
        body = self.bodies.get(summary.committee_id or 0)
        if body is None or summary.id is None:  # not asked for, or unreadable
            return
        detail = self.read_meeting(summary)
        record = meeting_record(
            summary,
            detail,
            today=self.today,
            url=self.source.meeting_url(summary.committee_id or 0, summary.id),
        )
        if record is None:
            self.report.warn(f"meeting {summary.id} has no date: not imported")
            return
        try:
            with transaction.atomic():
                written = meeting_record_write(
                    record=record,
                    body=body,
                    rules=self.rules,
                    report=self.report,
                    people=self.people,
                    now=self.now,
                )
                if written is None or detail is None:
                    return
                for item in detail.items:
                    agenda_item = written.agenda.get(str(item.id))
                    if agenda_item is not None:
                        self.import_documents(written.meeting, agenda_item, item)
                self.import_memberships(written.meeting, body, summary, detail)
        except (ValidationError, DatabaseError) as error:
            # People created for this meeting went with its rollback.
            self.people.forget()
            messages = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else str(error)
            )
            self.report.warn(
                f"meeting {summary.id} ({self._when(summary.date)}) was not imported: "
                f"{messages}"
            )

    def read_meeting(self, summary: MgMeetingSummary) -> MgMeeting | None:
        """The meeting's GetMeeting response, read; None when there is none or
        it cannot be read (the report says so)."""
        content = self.source.meeting(summary.id or 0)
        if content is None:
            if not summary.cancelled:
                self.report.warn(
                    f"meeting {summary.id} ({self._when(summary.date)}): no GetMeeting "
                    "response, so only its date, time and status were imported"
                )
            return None
        try:
            detail = parse_meeting(content)
        except ModernGovError as error:
            self.report.warn(
                f"meeting {summary.id}: {error}; only its date, time and status "
                "were imported"
            )
            return None
        if detail.id not in (None, summary.id):
            self.report.warn(
                f"meeting {summary.id}: the GetMeeting response is for meeting "
                f"{detail.id}; only its date, time and status were imported"
            )
            return None
        self._warn_all(detail.warnings)
        return detail

    @staticmethod
    def _when(day: dt.date | None) -> str:
        return long_date(day) if day else "no date"

    # -- documents ------------------------------------------------------------------

    def import_documents(
        self, meeting: Meeting, item: AgendaItem, source: MgAgendaItem
    ) -> None:
        for position, linked in enumerate(source.documents, start=1):
            if linked.attachment_id is None:
                self.report.warn(
                    f"meeting {meeting.source_id}: document {linked.title!r} has no "
                    "attachment id: not imported"
                )
                continue
            if linked.attachment_id in self.documents_seen:
                self.report.warn(
                    f"meeting {meeting.source_id}: document {linked.title!r} is "
                    "linked from more than one item; it was kept with the first"
                )
                continue
            self.documents_seen.add(linked.attachment_id)
            document = Document.objects.filter(
                source_system=MODERNGOV_SOURCE, source_id=str(linked.attachment_id)
            ).first()
            created = document is None
            if document is None:
                document = Document(meeting=meeting, item=item)
                stamp(
                    document,
                    Source(
                        system=MODERNGOV_SOURCE,
                        id=str(linked.attachment_id),
                        url=linked.url,
                        at=self.now,
                    ),
                )
            paragraph, warning = restriction(
                f"meeting {meeting.source_id}: {linked.title!r}",
                linked.is_restricted,
                linked.restrictions_ref,
            )
            if warning:
                self.report.warn(warning)
            url = linked.url
            if not url.lower().startswith(("http://", "https://")):
                url = ""
            values = {
                "meeting": meeting,
                "item": item,
                "title": fit(Document, "title", linked.title)
                or f"Document {linked.attachment_id}",
                "kind": _document_kind(linked.title, linked.owner_title),
                "external_url": fit(Document, "external_url", url),
                "visibility": Visibility.PUBLIC
                if paragraph is None
                else (Visibility.EXEMPT),
                "exempt_paragraph": paragraph,
                "published_at": local_datetime(linked.publication_date)
                if linked.publication_date
                else None,
                "order": linked.item_number or position,
            }
            changed = assign(document, values)
            if self.fetch_files and not document.file and not linked.is_url:
                changed = self._attach(document, linked) or changed
            try:
                with transaction.atomic():
                    outcome = imported_save(
                        document,
                        created=created,
                        changed=changed,
                        at=self.now,
                        exclude=["file"],
                    )
                self.report.count("document", outcome)
            except ValidationError as error:
                self.report.warn(
                    f"meeting {meeting.source_id}: document {linked.title!r} was not "
                    f"imported: {' '.join(error.messages)}"
                )

    def _attach(self, document: Document, linked: MgDocument) -> bool:
        if linked.attachment_id is None:
            return False
        try:
            fetched = self.source.attachment(linked.attachment_id)
        except FetchError as error:
            self.report.warn(f"file of document {linked.title!r} not fetched: {error}")
            return False
        if fetched is None:
            return False
        if fetched.content_type in {"text/html", "application/xhtml+xml"}:
            # An error or sign-in page, not the paper itself.
            self.report.warn(
                f"file of document {linked.title!r} not fetched: the council's "
                "server sent a web page instead of the file"
            )
            return False
        upload = io.BytesIO(fetched.content)
        name = fetched.filename or self._file_name(linked, upload)
        try:
            services.document_attach_file(document=document, upload=upload, name=name)
        except ValidationError as error:
            self.report.warn(
                f"file of document {linked.title!r} refused: {' '.join(error.messages)}"
            )
            return False
        self.report.count("document file", "created")
        return True

    @staticmethod
    def _file_name(linked: MgDocument, upload: io.BytesIO) -> str:
        # ModernGov gives no file name: the title, and the extension of what
        # the content turns out to be (check_upload then checks it in full,
        # and says why an archive too large to open is refused).
        try:
            key = sniff(upload)
        except UnsafeArchive:
            key = None
        extension = {"text": ".txt"}.get(key or "", "")
        if key in KINDS:
            extension = KINDS[key].extensions[0]
        stem = slugify(linked.title)[:80] or f"document-{linked.attachment_id}"
        return f"{stem}{extension or '.pdf'}"

    # -- memberships ---------------------------------------------------------------

    def import_memberships(
        self,
        meeting: Meeting,
        body: Body,
        summary: MgMeetingSummary,
        detail: MgMeeting,
    ) -> None:
        """Attendees with a member's role become memberships of the body."""
        for order, attendee in enumerate(detail.attendees):
            role = membership_role(attendee.role)
            if role is None:
                continue
            external = str(attendee.member_id) if attendee.member_id else ""
            person = self.people.find(
                attendee.parsed_name,
                source_id=external or f"meeting {detail.id} attendee {order + 1}",
                source_url=attendee.url,
                external_id=external,
            )
            if person is not None:
                self._membership(body, person, role, attendee, meeting.date, summary)

    def _membership(
        self,
        body: Body,
        person: Person,
        role: str,
        attendee: MgAttendee,
        day: dt.date,
        summary: MgMeetingSummary,
    ) -> None:
        who = attendee.member_id or f"person {person.pk}"
        source_id = f"{summary.committee_id}:{who}:{role}"
        membership = Membership.objects.filter(
            body=body, source_system=MODERNGOV_SOURCE, source_id=source_id
        ).first()
        created = membership is None
        if membership is None:
            membership = Membership(body=body, person=person, role=role)
            stamp(
                membership,
                Source(
                    system=MODERNGOV_SOURCE,
                    id=source_id,
                    url=attendee.url,
                    at=self.now,
                ),
            )
        values: dict[str, object] = {
            "start": min(membership.start or day, day),
            "end": max(membership.end or day, day),
        }
        party = attendee.political_party.strip()
        if party:
            group = _PARTIES.get(party.casefold())
            if group is None:
                group = Membership.PoliticalGroup.OTHER
                self.report.warn(
                    f"{attendee.name}: political party {party!r} is not one the portal "
                    "lists: recorded as Other"
                )
            values["political_group"] = group
        changed = assign(membership, values)
        outcome = imported_save(
            membership, created=created, changed=changed, at=self.now
        )
        self.report.count("membership", outcome)


def moderngov_import(
    *,
    source: ModernGovSource,
    committees: Sequence[str] = (),
    from_date: dt.date | None = None,
    to_date: dt.date | None = None,
    fetch_files: bool = True,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Import committees, meetings, agendas, papers, minutes and attendance.

    `committees` limits the import to committees named by id or title;
    `from_date` and `to_date` to meetings in that range (inclusive).
    Each meeting is written in one transaction, so a failure part way
    leaves whole meetings; with `dry_run` everything is rolled back at the
    end and the report says what would have changed. Document files are
    fetched only from a live source, never in a dry run, and only when
    `fetch_files`. Never raises for bad data: what cannot be imported is
    reported, and a source that cannot be read at all gives a report whose
    `failure` says why.
    """
    importer = _ModernGovImport(
        source=source,
        committees=committees,
        dates=DateRange(from_date, to_date),
        fetch_files=fetch_files,
        dry_run=dry_run,
        now=now or timezone.now(),
    )
    if not dry_run:
        return importer.run()
    with transaction.atomic():
        report = importer.run()
        transaction.set_rollback(True)
    return report
