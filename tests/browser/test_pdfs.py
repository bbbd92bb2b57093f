"""Downloading a meeting's PDFs from the links on its page, as a visitor would."""

import io
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.helpers import assert_accessible
from tests.meetings.pdf_helpers import minutes_meeting, paper, run_worker, text_pdf


def _meeting_with_a_paper() -> Any:
    meeting = minutes_meeting()
    item = meeting.items.get(reference="B1")
    paper(meeting, item, "Agreement refresh report", text_pdf("Refresh report", 2))
    return meeting


def _pdf_title(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return str(PdfReader(io.BytesIO(content)).metadata.title)


def _downloads(page: Any) -> Any:
    return page.get_by_role("region", name="Documents to download")


def test_agenda_and_minutes_download_from_the_meeting_page(page: Any) -> None:
    meeting = _meeting_with_a_paper()
    page.goto(meeting.get_absolute_url())
    assert_accessible(page)

    for link, title in [
        ("Agenda", "Agenda: Kent Community Safety Partnership, 24 March 2022"),
        (
            "Draft minutes",
            "Draft minutes: Kent Community Safety Partnership, 24 March 2022",
        ),
    ]:
        page.goto(meeting.get_absolute_url())
        anchor = _downloads(page).get_by_role("link", name=link, exact=True)
        href = anchor.get_attribute("href")
        with page.expect_response(lambda r, href=href: r.url.endswith(href)) as info:
            anchor.click()
        assert info.value.status == 200
        assert info.value.headers["content-type"] == "application/pdf"
        # Chromium shows the PDF in its viewer; the file itself is read as the
        # browser fetched it, with the same cookies.
        assert _pdf_title(page.request.get(href).body()) == title


def test_reports_pack_is_prepared_then_downloaded(page: Any) -> None:
    meeting = _meeting_with_a_paper()
    # The status page checks again by itself every few seconds; the clock is
    # held so that it checks only when the test says, after the worker ran.
    page.clock.install()
    page.goto(meeting.get_absolute_url())
    _downloads(page).get_by_role("link", name="Reports pack", exact=True).click()

    page.wait_for_url(re.compile(r"/pack/$"))
    status = page.get_by_role("status")
    assert "The pack is being prepared" in status.inner_text()
    expect(status.get_by_role("link", name="Check again")).to_be_visible()
    assert_accessible(page)

    run_worker()
    page.clock.run_for(5000)

    download_link = page.get_by_role(
        "link", name=re.compile("Download the reports pack")
    )
    download_link.wait_for()
    assert "The pack is ready" in status.inner_text()
    assert_accessible(page)
    with page.expect_download() as info:
        download_link.click()
    content = Path(info.value.path()).read_bytes()
    assert _pdf_title(content) == (
        "Reports pack: Kent Community Safety Partnership, 24 March 2022"
    )
    assert (
        "Refresh report page 2"
        in PdfReader(io.BytesIO(content)).pages[-1].extract_text()
    )


def test_reports_pack_status_works_without_javascript(
    browser: Any, live_server: Any
) -> None:
    meeting = _meeting_with_a_paper()
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, accept_downloads=True
    )
    page = context.new_page()
    try:
        page.goto(meeting.get_absolute_url())
        _downloads(page).get_by_role("link", name="Reports pack", exact=True).click()
        page.wait_for_url(re.compile(r"/pack/$"))
        assert "The pack is being prepared" in page.get_by_role("status").inner_text()

        run_worker()
        page.get_by_role("link", name="Check again").click()

        link = page.get_by_role("link", name=re.compile("Download the reports pack"))
        with page.expect_download() as info:
            link.click()
        assert Path(info.value.path()).read_bytes().startswith(b"%PDF-")
    finally:
        context.close()
