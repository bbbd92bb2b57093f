"""Responses of the ModernGov committee system's web service, read into data.

ModernGov (`mgWebService.asmx`) is the committee system most English
councils run. Three calls give a council's history: GetCommittees,
GetMeetings (one committee's meetings) and GetMeeting (one meeting with its
agenda items, minutes, linked documents and attendees). The parse functions
here read those responses, as bytes, into frozen dataclasses whose fields
name the element each is read from.

Promises, for all three:

- Hostile XML is refused before it is parsed: a document type or entity
  declaration (the way to an XML bomb or to external entities) or a response
  larger than `MAX_RESPONSE_BYTES` raises `ModernGovError`, as does XML that
  is not well formed or is not the expected response.
- Every field of the published responses is read. A date, time, number or
  flag that is empty or malformed becomes None and a warning, in the
  `warnings` of the record that holds it. An element the parser does not
  know is reported, not dropped silently.
- Agenda and minutes HTML arrives escaped inside the XML; it is unescaped by
  the XML parser and then tidied by `tidy_word_html`.
"""

import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from imports.parsers import find_british_date, parse_clock_time
from imports.parsers.names import ParsedName, parse_name
from kcsp.richtext import sanitise_html

__all__ = [
    "MAX_RESPONSE_BYTES",
    "MgAgendaItem",
    "MgAttendee",
    "MgComment",
    "MgCommittee",
    "MgDocument",
    "MgMeeting",
    "MgMeetingSummary",
    "ModernGovError",
    "declares_entities",
    "parse_committees",
    "parse_meeting",
    "parse_meetings",
    "tidy_word_html",
]

MAX_RESPONSE_BYTES = 20 * 1024 * 1024


class ModernGovError(ValueError):
    """A response that cannot or must not be read."""


def _xml(tag: str, read: str = "") -> dict[str, str]:
    """A record field's metadata: the child element `tag` holds it, read as
    the field's type says (see `_READ_AS`) or by the `_Fields` method `read`."""
    return {"tag": tag, "read": read}


@dataclass(frozen=True)
class MgCommittee:
    """A committee from GetCommittees."""

    id: int | None = field(metadata=_xml("committeeid", "identify"))
    title: str = field(metadata=_xml("committeetitle"))
    deleted: bool | None = field(metadata=_xml("committeedeleted"))
    expired: bool | None = field(metadata=_xml("committeeexpired"))
    category: str = field(metadata=_xml("committeecategory"))
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class MgMeetingSummary:
    """A meeting from GetMeetings, with the committee it is listed under.

    `location` is None when the response does not carry one (GetMeetings
    usually does not).
    """

    id: int | None = field(metadata=_xml("meetingid", "identify"))
    committee_id: int | None
    committee_title: str
    date: dt.date | None = field(metadata=_xml("meetingdate"))
    time: dt.time | None = field(metadata=_xml("meetingtime"))
    status: str = field(metadata=_xml("meetingstatus"))
    is_webcast: bool | None = field(metadata=_xml("iswebcast"))
    location: str | None = field(default=None, metadata=_xml("meetinglocation"))
    warnings: tuple[str, ...] = ()

    @property
    def cancelled(self) -> bool:
        return self.status.strip().lower() == "cancelled"


@dataclass(frozen=True)
class MgDocument:
    """A document linked to an agenda item (`linkeddoc`).

    `item_number` is the document's position within its item (`itemnum`);
    `owner_title` is the title of the item that owns it.
    """

    attachment_id: int | None = field(metadata=_xml("attachmentid", "identify"))
    title: str = field(metadata=_xml("title"))
    is_url: bool | None = field(metadata=_xml("isurl"))
    url: str = field(metadata=_xml("url"))
    is_restricted: bool | None = field(metadata=_xml("isrestricted"))
    restrictions_ref: str = field(metadata=_xml("restrictionsRef"))
    item_number: int | None = field(metadata=_xml("itemnum"))
    publication_date: dt.date | None = field(metadata=_xml("publicationdate"))
    meeting_date: dt.date | None = field(metadata=_xml("meetingdate"))
    decision_date: dt.date | None = field(metadata=_xml("decisiondate"))
    committee_title: str = field(metadata=_xml("committeetitle"))
    is_decision_attachment: bool | None = field(metadata=_xml("isdecisionattachment"))
    owner_title: str = field(metadata=_xml("ownertitle"))


@dataclass(frozen=True)
class MgComment:
    """A labelled comment field of an item (`commentlabelN`/`commenttextN`)."""

    label: str
    text: str


@dataclass(frozen=True)
class MgAgendaItem:
    """An agenda item from GetMeeting.

    `number` is ModernGov's internal order (`agendaitemnumber`), which is not
    the number shown; `full_display_number` (`fulldisplaynumberformat`, for
    example "1.") is. `agenda_html` and `minutes_html` are sanitised.
    `is_restricted` and `restrictions_ref` mark exempt items;
    `is_display_allowed` False means not public.
    """

    # Read (from `agendaitemid`) before the rest, so that the warnings about
    # the item's comments and documents name it.
    id: int | None
    title: str = field(metadata=_xml("agendaitemtitle"))
    agenda_html: str = field(metadata=_xml("agendatext", "html"))
    actual_meeting_date: dt.date | None = field(metadata=_xml("actualmeetingdate"))
    number: int | None = field(metadata=_xml("agendaitemnumber"))
    subnumber: str = field(metadata=_xml("agendaitemsubnumber"))
    full_display_number: str = field(metadata=_xml("fulldisplaynumberformat"))
    author_username: str = field(metadata=_xml("authorusername"))
    comments: tuple[MgComment, ...]
    minutes_html: str = field(metadata=_xml("minutesnonemptyhtmlbody", "html"))
    declaration_count: int | None = field(metadata=_xml("declarationcount"))
    is_call_in: bool | None = field(metadata=_xml("iscallin"))
    is_comment: bool | None = field(metadata=_xml("iscomment"))
    is_decision: bool | None = field(metadata=_xml("isdecision"))
    is_decision_published: bool | None = field(metadata=_xml("isdecisionpublished"))
    is_minute_published: bool | None = field(metadata=_xml("isminutepublished"))
    is_public_can_speak: bool | None = field(metadata=_xml("ispubliccanspeak"))
    is_restricted: bool | None = field(metadata=_xml("isrestricted"))
    restrictions_ref: str = field(metadata=_xml("restrictionsRef"))
    is_display_allowed: bool | None = field(metadata=_xml("isdisplayallowed"))
    meeting_date: dt.date | None = field(metadata=_xml("meetingdate"))
    meeting_time: dt.time | None = field(metadata=_xml("meetingtime"))
    minutes_item_number: int | None = field(metadata=_xml("minutesitemnumber"))
    minutes_item_subnumber: str = field(metadata=_xml("minutesitemsubnumber"))
    preferred_date: dt.date | None = field(metadata=_xml("preferreddate"))
    refer_to_committee: str = field(metadata=_xml("refertocommittee"))
    documents: tuple[MgDocument, ...]


@dataclass(frozen=True)
class MgAttendee:
    """A person expected at or attending a meeting (`attendee` attributes)."""

    member_id: int | None
    member_type: str
    name: str
    parsed_name: ParsedName
    role: str
    attendance: str
    political_party: str
    ward: str
    url: str


@dataclass(frozen=True)
class MgMeeting:
    """A meeting from GetMeeting, with its items and attendees.

    `warnings` gathers every warning of the meeting, its items and their
    documents, each naming where it arose.
    """

    id: int | None
    date: dt.date | None
    time: dt.time | None
    status: str
    is_display_allowed: bool | None
    actual_start_time: dt.time | None
    planned_finish_time: dt.time | None
    actual_finish_time: dt.time | None
    location: str
    room: str
    is_webcast: bool | None
    agenda_id: int | None
    agenda_published: bool | None
    decision_published: bool | None
    minutes_published: bool | None
    items: tuple[MgAgendaItem, ...]
    attendees: tuple[MgAttendee, ...]
    warnings: tuple[str, ...] = ()

    @property
    def cancelled(self) -> bool:
        return self.status.strip().lower() == "cancelled"


# --------------------------------------------------------------------------
# Reading XML safely.

# A document type or entity declaration, in any case, with any spacing. The
# check also runs on the bytes without NULs so UTF-16 and UTF-32 are caught.
_HOSTILE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def declares_entities(xml: bytes) -> bool:
    """Whether the XML has a document type or entity declaration, which no
    answer of the web service needs: it must not be parsed."""
    return bool(
        _HOSTILE.search(xml) or _HOSTILE.search(bytes(xml).replace(b"\x00", b""))
    )


def _refuse_hostile(xml: bytes) -> None:
    if not isinstance(xml, bytes | bytearray):
        raise ModernGovError("a ModernGov response must be given as bytes")
    if len(xml) > MAX_RESPONSE_BYTES:
        raise ModernGovError(
            f"response of {len(xml)} bytes is larger than {MAX_RESPONSE_BYTES}"
        )
    if declares_entities(xml):
        raise ModernGovError(
            "response contains a DOCTYPE or ENTITY declaration; refused"
        )


_DECLARATION = re.compile(rb"\A\s*<\?xml[^>]*?\?>")
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")


def _misencoded(xml: bytes, warnings: list[str]) -> str | None:
    """The response as text when some of its bytes are not in the encoding it
    declares (UTF-8 when it declares none): read as Windows-1252, which
    councils' older systems write, with a warning. None when it decodes as
    declared, so a parse error there is not one of encoding."""
    declaration = _DECLARATION.match(xml)
    named = _DECLARED_ENCODING.search(declaration[0]) if declaration else None
    declared = named[1].decode("ascii") if named else "utf-8"
    try:
        xml.decode(declared)
    except UnicodeDecodeError as error:
        warnings.append(
            f"the response is not all {declared}: a byte at position "
            f"{error.start} is not; read as Windows-1252 and kept, so check "
            "any accented letters or quotation marks"
        )
    except LookupError:
        warnings.append(
            f"the response declares an encoding Python does not know "
            f"({declared}): read as Windows-1252"
        )
    else:
        return None
    body = xml[declaration.end() :] if declaration else xml
    return body.decode("cp1252", errors="replace")


def _root(xml: bytes, expected: str, warnings: list[str] | None = None) -> ET.Element:
    _refuse_hostile(xml)
    try:
        root = ET.fromstring(xml)  # noqa: S314 - DOCTYPE and ENTITY refused above
    except ET.ParseError as error:
        text = _misencoded(xml, warnings if warnings is not None else [])
        if text is None:
            raise ModernGovError(f"response is not well-formed XML: {error}") from error
        try:
            root = ET.fromstring(text)  # noqa: S314 - refused above
        except ET.ParseError as again:
            raise ModernGovError(f"response is not well-formed XML: {again}") from again
    if root.tag != expected:
        raise ModernGovError(f"expected a <{expected}> response, got <{root.tag}>")
    return root


# --------------------------------------------------------------------------
# Reading fields.

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}

T = TypeVar("T")


class _Fields:
    """Reads the child elements of one record and notes what was read."""

    def __init__(self, element: ET.Element, where: str, warnings: list[str]) -> None:
        self.element = element
        self.where = where
        self.warnings = warnings
        self.read: set[str] = set()

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.where}: {message}")

    def text(self, tag: str) -> str | None:
        """The stripped text of a child, or None when there is no such child."""
        self.read.add(tag)
        child = self.element.find(tag)
        if child is None:
            return None
        return "".join(child.itertext()).strip()

    def string(self, tag: str) -> str:
        return self.text(tag) or ""

    def identify(self, tag: str) -> int | None:
        """The record's id, read from `tag`; warnings then name the record
        by it ("meeting 4967: ...")."""
        record_id = self.integer(tag)
        self.where = f"{self.where} {record_id}"
        return record_id

    def _typed(
        self, tag: str, kind: str, convert: Callable[[str], T | None]
    ) -> T | None:
        value = self.text(tag)
        if value is None:
            self.warn(f"<{tag}> is missing")
            return None
        if not value:
            self.warn(f"<{tag}> is empty")
            return None
        result = convert(value)
        if result is None:
            self.warn(f"<{tag}> is not a {kind}: {value!r}")
        return result

    def integer(self, tag: str) -> int | None:
        return self._typed(tag, "whole number", _to_int)

    def flag(self, tag: str) -> bool | None:
        return self._typed(tag, "True/False flag", _to_bool)

    def date(self, tag: str) -> dt.date | None:
        return self._typed(tag, "dd/mm/yyyy date", _to_date)

    def time(self, tag: str) -> dt.time | None:
        return self._typed(tag, "time of day", parse_clock_time)

    def html(self, tag: str) -> str:
        """Sanitised HTML, whether escaped as text or given as XML elements."""
        self.read.add(tag)
        child = self.element.find(tag)
        if child is None:
            return ""
        inner = (child.text or "") + "".join(
            ET.tostring(element, encoding="unicode") for element in child
        )
        return tidy_word_html(inner)

    def read_fields(self, record: Any) -> dict[str, Any]:
        """Each field of the record class that names its element, read in the
        order the class declares them, by attribute."""
        values: dict[str, Any] = {}
        for each in dataclasses.fields(record):
            if "tag" in each.metadata:
                read = getattr(self, each.metadata["read"] or _READ_AS[each.type])
                values[each.name] = read(each.metadata["tag"])
        return values

    def report_unknown(self, also_known: Iterable[str] = ()) -> None:
        known = self.read | set(also_known)
        for child in self.element:
            if child.tag not in known:
                self.warn(f"unknown element <{child.tag}> ignored")
                known.add(child.tag)


# How a field is read when its metadata names no `_Fields` method: by its type.
_READ_AS: dict[Any, str] = {
    str: "string",
    str | None: "text",
    int | None: "integer",
    bool | None: "flag",
    dt.date | None: "date",
    dt.time | None: "time",
}


def _record[R](
    element: ET.Element, where: str, make: Callable[..., R], **given: Any
) -> R:
    """A record that carries its own warnings, read from its element."""
    notes: list[str] = []
    fields = _Fields(element, where, notes)
    values = fields.read_fields(make)
    fields.report_unknown()
    return make(**values, **given, warnings=tuple(notes))


def _to_int(value: str) -> int | None:
    return int(value) if re.fullmatch(r"[+-]?\d{1,18}", value) else None


def _to_bool(value: str) -> bool | None:
    folded = value.lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    return None


def _to_date(value: str) -> dt.date | None:
    found = find_british_date(value)
    if found is None or (found.start, found.end) != (0, len(value)):
        return None
    return found.date


def _check_count(
    fields: _Fields, tag: str, actual: int, warnings: list[str] | None
) -> None:
    declared = fields.text(tag)
    if declared is None or warnings is None:
        return
    number = _to_int(declared)
    if number != actual:
        warnings.append(f"<{tag}> says {declared!r} but the response holds {actual}")


# --------------------------------------------------------------------------
# HTML.

# Word writes bold and italic as <b> and <i>; keep their meaning.
_B_OR_I = re.compile(r"<(/?)(b|i)(\s[^>]*)?>", re.IGNORECASE)
# A page's second-level heading sits under the portal page's own sections.
_H2 = re.compile(r"<(/?)h2(\s[^>]*)?>", re.IGNORECASE)
_BLOCK_TAGS = "p|br|ul|ol|li|h3|h4|blockquote|table|caption|thead|tbody|tfoot|tr|th|td"
# Whitespace next to a block tag is layout, not text.
_SPACE_AROUND_BLOCK = re.compile(rf"\s*(</?(?:{_BLOCK_TAGS})(?:\s[^>]*)?/?>)\s*")


def tidy_word_html(html: str) -> str:
    """Reduce Word-generated HTML to the portal's safe structure.

    Bold and italic become strong and em and second-level headings become
    third-level; the portal's one sanitiser (`kcsp.richtext.sanitise_html`)
    then keeps paragraphs, lists, links, headings and tables and drops every
    other tag but keeps its text (classes, styles, spans, `<o:p>`, comments,
    and scripts and styles with their content); last, layout whitespace is
    collapsed. Never raises on any input.
    """
    if not html or not html.strip():
        return ""
    marked = _B_OR_I.sub(
        lambda m: f"<{m[1]}{'strong' if m[2].lower() == 'b' else 'em'}>", html
    )
    marked = _H2.sub(r"<\1h3>", marked)
    cleaned = " ".join(sanitise_html(marked).split())
    return _SPACE_AROUND_BLOCK.sub(r"\1", cleaned).strip()


# --------------------------------------------------------------------------
# The three calls.


def parse_committees(
    xml: bytes, *, warnings: list[str] | None = None
) -> tuple[MgCommittee, ...]:
    """Read a GetCommittees response: every committee, in the order given.

    Each committee carries its own warnings; warnings about the response as
    a whole (a count that does not match) are appended to `warnings` when a
    list is given. Raises ModernGovError for refused or malformed XML.
    """
    root = _root(xml, "committees", warnings)
    committees = [
        _record(element, "committee", MgCommittee)
        for element in root.findall("committee")
    ]
    top = _Fields(root, "committees", warnings if warnings is not None else [])
    _check_count(top, "committeescount", len(committees), warnings)
    top.report_unknown({"committee"})
    return tuple(committees)


def parse_meetings(
    xml: bytes, *, warnings: list[str] | None = None
) -> tuple[MgMeetingSummary, ...]:
    """Read a GetMeetings response: every meeting of every committee listed.

    Dates are dd/mm/yyyy, times as councils write them ("10.00 am"); either
    left None with a warning on the meeting when empty or malformed.
    Response-level warnings (counts) go to `warnings` when a list is given.
    Raises ModernGovError for refused or malformed XML.
    """
    root = _root(xml, "getmeetings", warnings)
    meetings: list[MgMeetingSummary] = []
    sink = warnings if warnings is not None else []
    committees = root.findall("committee")
    for committee in committees:
        committee_fields = _Fields(committee, "committee", sink)
        committee_id = committee_fields.identify("committeeid")
        committee_title = committee_fields.string("committeetitle")
        listed = committee.findall("committeemeetings/meeting")
        _check_count(committee_fields, "committeemeetingcount", len(listed), warnings)
        committee_fields.report_unknown({"committeemeetings"})
        meetings.extend(
            _record(
                element,
                "meeting",
                MgMeetingSummary,
                committee_id=committee_id,
                committee_title=committee_title,
            )
            for element in listed
        )
    top = _Fields(root, "getmeetings", sink)
    _check_count(top, "meetingscount", len(meetings), warnings)
    _check_count(top, "committeescount", len(committees), warnings)
    top.report_unknown({"committee"})
    return tuple(meetings)


def parse_meeting(xml: bytes) -> MgMeeting:
    """Read a GetMeeting response: the meeting, its agenda items and attendees.

    Item HTML (agenda text and minutes) is unescaped and sanitised; linked
    documents keep their restriction flags; attendees' names are also parsed
    with `parse_name`. All warnings are gathered in `MgMeeting.warnings`.
    Raises ModernGovError for refused or malformed XML.
    """
    notes: list[str] = []
    root = _root(xml, "meeting", notes)
    fields = _Fields(root, "meeting", notes)
    meeting_id = fields.identify("meetingid")
    values = {
        "id": meeting_id,
        "date": fields.date("meetingdate"),
        "status": fields.string("meetingstatus"),
        "is_display_allowed": fields.flag("isdisplayallowed"),
        "time": fields.time("meetingtime"),
        "actual_start_time": fields.time("meetingactualstarttime"),
        "planned_finish_time": fields.time("meetingplannedfinishtime"),
        "actual_finish_time": fields.time("meetingactualfinishtime"),
        "location": fields.string("meetinglocation"),
        "is_webcast": fields.flag("iswebcast"),
        "agenda_id": fields.integer("agendaid"),
        "agenda_published": fields.flag("agendapublished"),
        "decision_published": fields.flag("decisionpublished"),
        "minutes_published": fields.flag("minutepublished"),
        "room": fields.string("meetingroom"),
    }
    items = tuple(
        _agenda_item(element, notes)
        for element in root.findall("agendaitems/agendaitem")
    )
    attendees = tuple(
        _attendee(element, notes) for element in root.findall("attendees/attendee")
    )
    fields.report_unknown({"agendaitems", "attendees"})
    return MgMeeting(
        **values,  # type: ignore[arg-type]
        items=items,
        attendees=attendees,
        warnings=tuple(notes),
    )


_COMMENT_TAG = re.compile(r"comment(?:label|text)(?P<n>\d+)")


def _agenda_item(element: ET.Element, notes: list[str]) -> MgAgendaItem:
    fields = _Fields(element, "agenda item", notes)
    item_id = fields.identify("agendaitemid")
    comment_numbers = sorted(
        {int(m["n"]) for child in element if (m := _COMMENT_TAG.fullmatch(child.tag))}
    )
    comments = tuple(
        MgComment(
            label=fields.string(f"commentlabel{n}"),
            text=fields.string(f"commenttext{n}"),
        )
        for n in comment_numbers
    )
    documents = tuple(
        _document(doc, f"{fields.where}, document", notes)
        for doc in element.findall("linkeddocuments/linkeddoc")
    )
    item = MgAgendaItem(
        id=item_id,
        **fields.read_fields(MgAgendaItem),
        comments=comments,
        documents=documents,
    )
    fields.report_unknown({"linkeddocuments"})
    return item


def _document(element: ET.Element, where: str, notes: list[str]) -> MgDocument:
    fields = _Fields(element, where, notes)
    document = MgDocument(**fields.read_fields(MgDocument))
    fields.report_unknown()
    return document


_ATTENDEE_ATTRIBUTES = frozenset(
    {
        "membertype",
        "memberid",
        "name",
        "roledescription",
        "attendance",
        "politicalparty",
        "ward",
    }
)


def _attendee(element: ET.Element, notes: list[str]) -> MgAttendee:
    attributes = element.attrib
    member_id_text = attributes.get("memberid", "").strip()
    member_id = _to_int(member_id_text)
    where = f"attendee {member_id_text or '(no id)'}"
    if member_id is None:
        notes.append(f"{where}: memberid is missing or not a whole number")
    for name in sorted(set(attributes) - _ATTENDEE_ATTRIBUTES):
        notes.append(f"{where}: unknown attribute {name!r} ignored")
    fields = _Fields(element, where, notes)
    url = fields.string("url")
    fields.report_unknown()
    name = " ".join(attributes.get("name", "").split())
    parsed = parse_name(name)
    notes.extend(f"{where}: name {name!r}: {problem}" for problem in parsed.warnings)
    return MgAttendee(
        member_id=member_id,
        member_type=attributes.get("membertype", "").strip(),
        name=name,
        parsed_name=parsed,
        role=attributes.get("roledescription", "").strip(),
        attendance=attributes.get("attendance", "").strip(),
        political_party=attributes.get("politicalparty", "").strip(),
        ward=attributes.get("ward", "").strip(),
        url=url,
    )
