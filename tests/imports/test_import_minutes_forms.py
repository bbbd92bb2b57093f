"""Attendance written as a table, and single item pages placed into their
meeting: the forms of minutes beside printed notes and PDFs."""

import html
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from meetings import services
from meetings.models import Attendance, Body, Meeting, MinuteItem, Resolution
from tests import factories
from tests.meetings.pdf_helpers import body_of, url, whole_text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "tests" / "fixtures" / "minutes" / "table_attendance.txt"
SEED_000 = ROOT / "demo" / "seeds" / "000_4c08dd36799a932d.txt"
SEED_004 = ROOT / "demo" / "seeds" / "004_91af56b541b8bdc4.txt"
ROAD_SAFETY_PAGE = """Agenda item

Road Safety Update

Minutes:

1.    Members heard that the county's summer speed campaign had reached every
secondary school.

2.    A Member asked about crossings near village schools.

RESOLVED that the update be noted.
"""


def run(path: Path, body: Body, *args: str) -> str:
    out = io.StringIO()
    try:
        call_command(
            "import_minutes", str(path), "--body", body.slug, *args, stdout=out
        )
    except CommandError:
        raise AssertionError(out.getvalue()) from None
    return out.getvalue()


def refused(path: Path, body: Body, *args: str) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_minutes", str(path), "--body", body.slug, *args, stdout=out
        )
    return out.getvalue()


@pytest.fixture
def riverside() -> Body:
    return factories.body("Riverside Community Safety Partnership")


@pytest.fixture
def committee() -> Body:
    return factories.body("Crime and Disorder Committee")


def test_attendance_as_a_table_imports_every_row(riverside: Body) -> None:
    out = run(TABLE, riverside)

    meeting = Meeting.objects.get()
    assert meeting.date.isoformat() == "2023-09-12"  # written 12.09.23
    assert meeting.online
    rows = list(meeting.attendance.values_list("person__surname", "kind", "capacity"))
    assert rows == [
        ("Adeyemi", "present", "Chairman, Riverside Borough Council"),
        ("Brackenbury", "present", "Vice-Chairman, Riverside Housing Trust"),
        ("Dunmore", "present", "District Commander, County Police"),
        ("Ellery", "present", "Riverside Borough Council"),
        (
            "Gallagher",
            "in_attendance",
            "Community Safety Manager, Riverside Borough Council",
        ),
        (
            "Huxtable",
            "in_attendance",
            "Democratic Services Officer, Riverside Borough Council",
        ),
        ("Ibbotson", "apologies", ""),
    ]
    assert "attendance records: 7 created" in out
    items = list(MinuteItem.objects.order_by("number"))
    assert [(i.number, i.agenda_reference) for i in items] == [(21, "A3"), (22, "B1")]
    assert [i.paragraphs.count() for i in items] == [0, 2]
    assert Resolution.objects.count() == 2
    assert [p.text for p in items[1].resolutions.get().parts.all()] == [
        "note the report; and",
        "ask for a costed plan for the winter weekends.",
    ]


def test_attendance_that_cannot_be_placed_stops_the_import(
    riverside: Body, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text(
        TABLE.read_text(encoding="utf-8").replace(
            "Ms F Ellery\tRiverside Borough Council\n",
            "Ms F Ellery\tRiverside Borough Council\n"
            "Representatives of the parish councils also attended.\n",
        ),
        encoding="utf-8",
    )

    out = refused(broken, riverside)

    assert "1 attendance line(s) could not be placed" in out
    assert (
        'line 9: text before the first minute item "Representatives of the '
        'parish councils also attended."'
    ) in out
    assert not Meeting.objects.exists()
    out = run(broken, riverside, "--allow-unplaced")
    assert Attendance.objects.count() == 7
    assert "Lines not placed (1):" in out


def test_a_single_item_page_goes_into_its_meeting_with_the_sources_number(
    committee: Body, tmp_path: Path
) -> None:
    out = run(
        SEED_000, committee, "--date", "Friday, 8th July, 2011", "--item-number", "6"
    )

    meeting = Meeting.objects.get()
    assert meeting.date.isoformat() == "2011-07-08"
    item = MinuteItem.objects.get()
    assert (item.number, item.title) == (6, "Kent Community Safety Agreement")
    assert item.paragraphs.count() == 16
    assert item.resolutions.count() == 1
    assert "minute item: 1 created" in out

    # A second page of the same meeting goes beside it, found by its title.
    page = tmp_path / "road-safety.txt"
    page.write_text(ROAD_SAFETY_PAGE, encoding="utf-8")
    run(
        page,
        committee,
        "--meeting-title",
        "Crime and Disorder Committee - Friday, 8th July, 2011 2.00 pm",
        "--item-number",
        "7",
    )
    assert Meeting.objects.count() == 1
    items = list(MinuteItem.objects.order_by("number"))
    assert [(i.number, i.title) for i in items] == [
        (6, "Kent Community Safety Agreement"),
        (7, "Road Safety Update"),
    ]
    assert [p.text for p in items[1].paragraphs.all()] == [
        "Members heard that the county's summer speed campaign had reached "
        "every secondary school.",
        "A Member asked about crossings near village schools.",
    ]
    # Each page again changes nothing.
    again = run(SEED_000, committee, "--date", "8/7/2011", "--item-number", "6")
    assert "created" not in again
    assert "updated" not in again
    assert "deleted" not in again
    assert MinuteItem.objects.count() == 2


def test_a_single_item_page_without_its_number_is_refused(committee: Body) -> None:
    out = refused(SEED_000, committee, "--date", "8 July 2011")

    assert "the page gives no minute number, and the import never makes one up" in out
    assert not Meeting.objects.exists()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_select_committee_item_page_keeps_every_speaker_in_public_and_pdf(
    client: Client,
) -> None:
    """Seed 004: one item whose speakers are minuted paragraph by paragraph,
    1) to 44), after a line on who attended; placed into its meeting, then
    read back from the public page and the minutes PDF."""
    committee = factories.body("Knife Crime Select Committee")
    out = run(SEED_004, committee, "--date", "24/01/2019", "--item-number", "3")

    source = SEED_004.read_text(encoding="utf-8")
    numbered = [
        _flat(found)
        for found in re.findall(r"^\s*\d+\)\s+(.+)$", source, flags=re.MULTILINE)
    ]
    assert len(numbered) == 44
    item = MinuteItem.objects.get()
    assert item.number == 3
    paragraphs = [p.text for p in item.paragraphs.all()]
    assert len(paragraphs) == 45 and item.resolutions.count() == 0
    assert paragraphs[0].endswith("were in attendance for this item.")
    assert paragraphs[1:] == numbered
    assert "minute item: 1 created" in out
    # The page's broken branding banner and error are reported, not imported.
    assert "website banner: the site's branding failed to load" in out

    meeting = Meeting.objects.get()
    services.minutes_publish_draft(minutes=meeting.minutes)
    page = client.get(meeting.get_absolute_url())
    pdf = client.get(url(meeting, "minutes_pdf"))
    assert page.status_code == pdf.status_code == 200
    page_text = _flat(re.sub(r"<[^>]+>", " ", html.unescape(page.content.decode())))
    # A paragraph running over a page is read back with the page's footer
    # in it, and a hyphenated word broken over a line with a space; neither
    # is the minutes' text.
    footer = re.compile(
        rf"Page \d+ of \d+ {re.escape(committee.name)} - 24 January 2019 "
    )
    pdf_text = re.sub(
        r"(\w)- (\w)", r"\1-\2", footer.sub("", _flat(whole_text(body_of(pdf))))
    )
    assert [p for p in paragraphs if _flat(p) not in page_text] == []
    assert [p for p in paragraphs if _flat(p) not in pdf_text] == []
