import contextlib
import datetime as dt
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imports.parsers import parse_clock_time
from imports.parsers.moderngov import (
    MgMeeting,
    ModernGovError,
    parse_committees,
    parse_meeting,
    parse_meetings,
    tidy_word_html,
)
from kcsp.richtext import sanitise_html
from tests.imports.parsers import source


def _fixture(name: str) -> bytes:
    return source(f"fixtures/moderngov/{name}").read_bytes()


@pytest.fixture
def meeting_xml() -> bytes:
    return _fixture("meeting_with_minutes.xml")


@pytest.fixture
def meeting(meeting_xml: bytes) -> MgMeeting:
    return parse_meeting(meeting_xml)


# --------------------------------------------------------------------------
# GetCommittees


def test_committees_field_by_field() -> None:
    report: list[str] = []
    committees = parse_committees(_fixture("committees.xml"), warnings=report)
    assert [(c.id, c.title, c.deleted, c.expired) for c in committees] == [
        (
            312,
            "Appointment Sub Committee for Director of Adult Social Services",
            False,
            True,
        ),
        (163, "Art Galleries Committee", False, False),
        (144, "Audit Committee", False, False),
    ]
    assert {c.category for c in committees} == {
        "Governance and Decision Making Committees"
    }
    assert all(c.warnings == () for c in committees)
    assert report == []


def test_committee_count_that_does_not_match_is_reported() -> None:
    xml = _fixture("committees.xml").replace(
        b"<committeescount> 3</committeescount>",
        b"<committeescount>4</committeescount>",
    )
    report: list[str] = []
    parse_committees(xml, warnings=report)
    assert report == ["<committeescount> says '4' but the response holds 3"]


def test_malformed_flag_is_none_with_a_warning() -> None:
    xml = _fixture("committees.xml").replace(
        b"<committeeexpired>True</committeeexpired>",
        b"<committeeexpired>Perhaps</committeeexpired>",
    )
    first = parse_committees(xml)[0]
    assert first.expired is None
    assert first.warnings == (
        "committee 312: <committeeexpired> is not a True/False flag: 'Perhaps'",
    )


# --------------------------------------------------------------------------
# GetMeetings


def test_meetings_field_by_field_including_a_cancelled_one() -> None:
    report: list[str] = []
    cancelled, confirmed = parse_meetings(_fixture("meetings.xml"), warnings=report)
    assert cancelled.id == 4966
    assert cancelled.committee_id == 144
    assert cancelled.committee_title == "Audit Committee"
    assert cancelled.date == dt.date(2026, 1, 13)
    assert cancelled.time == dt.time(10, 0)
    assert cancelled.status == "Cancelled"
    assert cancelled.cancelled is True
    assert cancelled.is_webcast is False
    assert cancelled.location is None
    assert cancelled.warnings == ()
    assert (confirmed.id, confirmed.date, confirmed.status) == (
        4967,
        dt.date(2026, 2, 10),
        "Confirmed",
    )
    assert confirmed.cancelled is False
    assert report == []


def test_malformed_and_empty_meeting_date_and_time() -> None:
    xml = (
        _fixture("meetings.xml")
        .replace(b"13/01/2026", b"31/02/2026")
        .replace(
            b"<meetingtime>10.00 am</meetingtime>",
            b"<meetingtime>13.00 pm</meetingtime>",
            1,
        )
        .replace(b"10/02/2026", b"")
    )
    cancelled, confirmed = parse_meetings(xml)
    assert (cancelled.date, cancelled.time) == (None, None)
    assert cancelled.warnings == (
        "meeting 4966: <meetingdate> is not a dd/mm/yyyy date: '31/02/2026'",
        "meeting 4966: <meetingtime> is not a time of day: '13.00 pm'",
    )
    assert confirmed.date is None
    assert confirmed.warnings == ("meeting 4967: <meetingdate> is empty",)


# --------------------------------------------------------------------------
# GetMeeting


def test_meeting_fields(meeting: MgMeeting) -> None:
    assert meeting.id == 4967
    assert meeting.date == dt.date(2026, 2, 10)
    assert meeting.status == "Confirmed"
    assert meeting.cancelled is False
    assert meeting.is_display_allowed is True
    assert meeting.time == dt.time(10, 0)
    assert meeting.actual_start_time is None
    assert meeting.planned_finish_time == dt.time(14, 0)
    assert meeting.actual_finish_time is None
    assert meeting.location == "Council Antechamber, Level 2, Town Hall Extension"
    assert meeting.room == ""
    assert meeting.is_webcast is False
    assert meeting.agenda_id == 4967
    assert meeting.agenda_published is True
    assert meeting.decision_published is False
    assert meeting.minutes_published is True
    # The empty actual times are the only things worth a warning.
    assert meeting.warnings == (
        "meeting 4967: <meetingactualstarttime> is empty",
        "meeting 4967: <meetingactualfinishtime> is empty",
    )


def test_agenda_items_field_by_field(meeting: MgMeeting) -> None:
    minutes, work_programme = meeting.items
    assert minutes.id == 18831
    assert minutes.title == "Minutes"
    assert minutes.actual_meeting_date == dt.date(2026, 2, 10)
    assert minutes.number == 4
    assert minutes.subnumber == ""
    assert minutes.full_display_number == "1."
    assert minutes.author_username == ""
    assert [(c.label, c.text) for c in minutes.comments] == [
        ("Presented By", ""),
        ("Actions", ""),
    ]
    assert minutes.declaration_count == 0
    assert minutes.is_call_in is False
    assert minutes.is_comment is False
    assert minutes.is_decision is False
    assert minutes.is_decision_published is False
    assert minutes.is_minute_published is True
    assert minutes.is_public_can_speak is False
    assert minutes.is_restricted is False
    assert minutes.restrictions_ref == ""
    assert minutes.is_display_allowed is True
    assert minutes.meeting_date == dt.date(2026, 2, 10)
    assert minutes.meeting_time == dt.time(10, 0)
    assert minutes.minutes_item_number == 1
    assert minutes.minutes_item_subnumber == ""
    assert minutes.preferred_date == dt.date(2026, 2, 10)
    assert minutes.refer_to_committee == "Audit Committee"
    assert (work_programme.id, work_programme.number) == (18833, 12)
    assert work_programme.full_display_number == "9."
    assert work_programme.minutes_item_number == 9


def test_agenda_and_minutes_html_are_unescaped_and_sanitised(
    meeting: MgMeeting,
) -> None:
    minutes, work_programme = meeting.items
    assert minutes.agenda_html == (
        "<p>To approve as a correct record the minutes of the meeting held on "
        "25 November 2025.</p>"
    )
    assert minutes.minutes_html == (
        "<p>To approve the minutes of the meeting held on 25 November 2025 as a "
        "correct record.</p>"
    )
    assert work_programme.minutes_html.startswith(
        "<p>The Committee considered a report of the Governance"
    )
    for html in (
        minutes.agenda_html,
        minutes.minutes_html,
        work_programme.agenda_html,
        work_programme.minutes_html,
    ):
        for cruft in ("class=", "style=", "<span", "<o:p>", "<div", "&lt;", "\n"):
            assert cruft not in html


def test_linked_documents_field_by_field(meeting: MgMeeting) -> None:
    (document,) = meeting.items[0].documents
    assert document.attachment_id == 60860
    assert document.title == "6 - CHAIR APPROVED  Minutes Audit Committee 25 Nov 2025"
    assert document.is_url is False
    assert (
        document.url
        == "https://democracy.manchester.gov.uk/mgConvert2PDF.aspx?ID=60860"
    )
    assert document.is_restricted is False
    assert document.restrictions_ref == ""
    assert document.item_number == 1
    assert document.publication_date == dt.date(2026, 2, 2)
    assert document.meeting_date == dt.date(2026, 2, 10)
    assert document.decision_date == dt.date(2026, 2, 10)
    assert document.committee_title == "Audit Committee"
    assert document.is_decision_attachment is False
    assert document.owner_title == "Minutes"
    (second,) = meeting.items[1].documents
    assert (second.attachment_id, second.title, second.owner_title) == (
        60909,
        "DRAFT WP  FEBRUARY 2026",
        "Work Programme",
    )


def test_attendees(meeting: MgMeeting) -> None:
    (attendee,) = meeting.attendees
    assert attendee.member_id == 192
    assert attendee.member_type == "U"
    assert attendee.name == "Councillor Basil Curley"
    assert attendee.role == "Committee Member"
    assert attendee.attendance == "Expected"
    assert attendee.political_party == "LAB"
    assert attendee.ward == "Charlestown"
    assert attendee.url == "https://democracy.manchester.gov.uk/mgUserInfo.aspx?UID=192"
    name = attendee.parsed_name
    assert (name.title, name.forenames, name.surname) == (
        "Councillor",
        "Basil",
        "Curley",
    )


def test_restricted_item_and_document(meeting_xml: bytes) -> None:
    # The fixture's second item made exempt, as a council would mark it.
    head, tail = meeting_xml.split(b"<agendaitemid>18833</agendaitemid>")
    tail = (
        tail.replace(
            b"<isrestricted>False</isrestricted>", b"<isrestricted>True</isrestricted>"
        )
        .replace(
            b"<restrictionsRef>\n          </restrictionsRef>",
            b"<restrictionsRef>Paragraph 3</restrictionsRef>",
        )
        .replace(
            b"<isdisplayallowed>True</isdisplayallowed>",
            b"<isdisplayallowed>False</isdisplayallowed>",
        )
    )
    parsed = parse_meeting(head + b"<agendaitemid>18833</agendaitemid>" + tail)
    public, exempt = parsed.items
    assert (public.is_restricted, public.is_display_allowed) == (False, True)
    assert (exempt.is_restricted, exempt.is_display_allowed) == (True, False)
    (document,) = exempt.documents
    assert document.is_restricted is True
    assert document.restrictions_ref == "Paragraph 3"


def test_unknown_elements_are_reported(meeting_xml: bytes) -> None:
    xml = meeting_xml.replace(
        b"<iswebcast>False</iswebcast>",
        b"<iswebcast>False</iswebcast><quorum>3</quorum>",
    )
    assert (
        "meeting 4967: unknown element <quorum> ignored" in parse_meeting(xml).warnings
    )


def test_html_given_as_xml_elements_is_kept(meeting_xml: bytes) -> None:
    start = meeting_xml.index(b"<agendatext>") + len(b"<agendatext>")
    end = meeting_xml.index(b"</agendatext>")
    xml = meeting_xml[:start] + b'<p class="x">Raw <b>XML</b></p>' + meeting_xml[end:]
    assert parse_meeting(xml).items[0].agenda_html == "<p>Raw <strong>XML</strong></p>"


# --------------------------------------------------------------------------
# Refusals


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<committees><committee><committeetitle>&lol2;</committeetitle></committee></committees>
"""


@pytest.mark.parametrize(
    "xml",
    [
        BOMB,
        b'<!doctype committees SYSTEM "http://example.org/x.dtd"><committees/>',
        b"<committees><!ENTITY x 'y'></committees>",
        BOMB.decode()
        .replace('version="1.0"', 'version="1.0" encoding="utf-16"')
        .encode("utf-16"),
    ],
)
def test_doctype_and_entity_declarations_are_refused(xml: bytes) -> None:
    with pytest.raises(ModernGovError, match="DOCTYPE or ENTITY declaration"):
        parse_committees(xml)


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<committees><committee></committees>", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b"<getmeetings/>", "expected a <committees> response, got <getmeetings>"),
    ],
)
def test_malformed_or_unexpected_xml_is_refused(xml: bytes, message: str) -> None:
    with pytest.raises(ModernGovError, match=message):
        parse_committees(xml)


@given(st.binary() | st.text().map(lambda text: text.encode("utf-8", "replace")))
def test_any_bytes_give_a_result_or_a_clear_error(xml: bytes) -> None:
    for parse in (parse_committees, parse_meetings, parse_meeting):
        with contextlib.suppress(ModernGovError):
            parse(xml)


def test_an_empty_meeting_reports_every_missing_field() -> None:
    parsed = parse_meeting(b"<meeting/>")
    assert parsed.id is None
    assert parsed.items == ()
    assert "meeting None: <meetingdate> is missing" in parsed.warnings


def test_text_instead_of_bytes_is_refused() -> None:
    with pytest.raises(ModernGovError, match="bytes"):
        parse_meeting("<meeting/>")  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# HTML


WORD_HTML = """<div class="WordSection1">
<p class="MsoNormal" style="margin:0cm"><span style="font-family:Arial">The
<b>Committee</b> <i>noted</i> the report.<o:p></o:p></span></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraph><![if !supportLists]>1.<![endif]>First point</p>
<ul><li><a href="https://example.org/report" target="_blank" class="x">report</a></li>
<li><a href="javascript:alert(1)">bad link</a></li></ul>
<table class="MsoTable"><tr><td style="x" colspan="2">cell</td></tr></table>
<script>alert(1)</script><style>p {color: red}</style>
<p onclick="alert(1)">click</p><img src="x" onerror="alert(1)">
</div>"""


def test_tidy_word_html() -> None:
    html = tidy_word_html(WORD_HTML)
    assert html == (
        "<p>The <strong>Committee</strong> <em>noted</em> the report.</p>"
        "<p>1.First point</p>"
        '<ul><li><a href="https://example.org/report" rel="noopener noreferrer">'
        "report</a></li>"
        '<li><a rel="noopener noreferrer">bad link</a></li></ul>'
        '<table><tbody><tr><td colspan="2">cell</td></tr></tbody></table>'
        "<p>click</p>"
    )


def test_word_html_keeps_what_the_portal_keeps() -> None:
    # A second-level heading sits under the portal page's own headings, so it
    # is stored one level down; the rest is kept as every stored fragment is.
    html = tidy_word_html(
        '<h2 class="x">Background</h2><p>CO<sub>2</sub> levels</p>'
        '<blockquote>Quoted</blockquote><table><tr><th rowspan="2">Year</th></tr>'
        "<tfoot><tr><td>Total</td></tr></tfoot></table>"
    )
    assert html == (
        "<h3>Background</h3><p>CO<sub>2</sub> levels</p>"
        "<blockquote>Quoted</blockquote>"
        '<table><tbody><tr><th rowspan="2">Year</th></tr></tbody>'
        "<tfoot><tr><td>Total</td></tr></tfoot></table>"
    )
    assert sanitise_html(html) == html


@pytest.mark.parametrize("empty", ["", "   ", "<p>&nbsp;</p>", "<p><br></p><p> </p>"])
def test_tidy_empty_html(empty: str) -> None:
    assert tidy_word_html(empty) == ""


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(name for name, _value in attrs)


def _assert_safe(html: str) -> None:
    assert "<script" not in html.lower()
    parser = _Tags()
    parser.feed(html)
    parser.close()
    assert "script" not in parser.tags
    assert not [name for name in parser.attributes if name.lower().startswith("on")]
    assert set(parser.attributes) <= {
        "href",
        "rel",
        "title",
        "scope",
        "colspan",
        "rowspan",
    }


@given(st.text())
def test_sanitising_any_text_is_safe(text: str) -> None:
    _assert_safe(tidy_word_html(text))


_HOSTILE_PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
        '<img src=x onerror="alert(1)">',
        '<p onclick="x()" class="MsoNormal">',
        "<a href='javascript:alert(1)' onmouseover=x>",
        "<svg onload=alert(1)>",
        '<span style="x">',
        "<o:p>",
        "</p>",
        "<b>",
        "<i >",
        "<!-- comment -->",
        "<![if !supportLists]>",
        "&lt;script&gt;",
        " on",
        "=",
        '"',
        "<",
        ">",
    ]
)


@given(st.lists(st.one_of(_HOSTILE_PIECES, st.text(max_size=10)), max_size=30))
def test_sanitising_hostile_markup_is_safe(pieces: list[str]) -> None:
    _assert_safe(tidy_word_html("".join(pieces)))


# --------------------------------------------------------------------------
# Times as councils write them


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.00 am", dt.time(10, 0)),
        ("2.00 pm", dt.time(14, 0)),
        ("2.00pm", dt.time(14, 0)),
        ("12.30 pm", dt.time(12, 30)),
        ("12.15 am", dt.time(0, 15)),
        ("10am", dt.time(10, 0)),
        ("6.30 p.m.", dt.time(18, 30)),
        ("10:00", dt.time(10, 0)),
        ("14.30", dt.time(14, 30)),
        ("12 noon", dt.time(12, 0)),
        ("", None),
        ("13.00 pm", None),
        ("25:00", None),
        ("10.75 am", None),
        ("soon", None),
    ],
)
def test_parse_clock_time(text: str, expected: dt.time | None) -> None:
    assert parse_clock_time(text) == expected


@given(st.text())
def test_parse_clock_time_never_raises(text: str) -> None:
    result = parse_clock_time(text)
    assert result is None or isinstance(result, dt.time)
