"""Where ModernGov responses come from: a council's web service or a folder.

`WebServiceSource` calls a council's `mgWebService.asmx` over HTTP(S) with
the standard GET calls, politely: one request at a time with a pause
between them, a timeout, retries with a growing wait on network errors and
server errors, and a User-Agent that names the portal. `DirectorySource`
reads responses saved earlier, named by this convention:

    committees.xml          GetCommittees
    meetings*.xml           GetMeetings, any number of files (for example
                            meetings_144.xml per committee); the committee
                            and meeting ids are read from the contents
    meeting_*.xml           GetMeeting, one meeting per file (for example
                            meeting_4967.xml); the meeting id is read from
                            the contents, so any name after "meeting_" works

A live import given a folder to save to writes its responses under exactly
these names (`meetings_<committee id>.xml`, `meeting_<meeting id>.xml`), so
the same import can be run again from the folder without the network.
Document files are fetched only live (GetAttachment).
"""

import datetime as dt
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from imports.parsers.moderngov import (
    MAX_RESPONSE_BYTES,
    ModernGovError,
    declares_entities,
)

__all__ = [
    "Attachment",
    "DateRange",
    "DirectorySource",
    "FetchError",
    "ModernGovSource",
    "PoliteFetcher",
    "WebServiceSource",
    "user_agent",
]

SERVICE = "mgWebService.asmx"
COMMITTEES_FILE = "committees.xml"
MEETINGS_PATTERN = "meetings*.xml"
MEETING_PATTERN = "meeting_*.xml"

_MEETING_ID = re.compile(rb"<meetingid>\s*(\d+)\s*</meetingid>")


@dataclass(frozen=True)
class DateRange:
    """The meeting dates an import asks for, both ends included; an end left
    None is open."""

    first: dt.date | None = None
    last: dt.date | None = None

    def __contains__(self, day: dt.date) -> bool:
        if self.first and day < self.first:
            return False
        return not (self.last and day > self.last)


class FetchError(Exception):
    """A request that failed for good (after any retries)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Attachment:
    """A document file as fetched: its bytes and the name the server gave."""

    content: bytes
    filename: str
    content_type: str


class ModernGovSource(Protocol):
    """What the import needs from wherever the responses come from."""

    live: bool
    description: str

    def committees(self) -> bytes: ...

    def meeting_lists(
        self, committee_ids: list[int], dates: DateRange
    ) -> Iterator[tuple[str, bytes]]: ...

    def meeting(self, meeting_id: int) -> bytes | None: ...

    def attachment(self, attachment_id: int) -> Attachment | None: ...

    def committee_url(self, committee_id: int) -> str: ...

    def meeting_url(self, committee_id: int, meeting_id: int) -> str: ...


# --------------------------------------------------------------------------
# Saved responses.


class DirectorySource:
    """Responses saved in a folder, named as the module docstring describes."""

    live = False

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise ModernGovError(f"{self.folder} is not a folder")
        self.description = f"saved responses in {self.folder}"
        self._meetings: dict[int, Path] | None = None

    def committees(self) -> bytes:
        path = self.folder / COMMITTEES_FILE
        if not path.is_file():
            raise ModernGovError(
                f"no {COMMITTEES_FILE} (the GetCommittees response) in {self.folder}"
            )
        return path.read_bytes()

    def meeting_lists(
        self, committee_ids: list[int], dates: DateRange
    ) -> Iterator[tuple[str, bytes]]:
        # Each file lists its own committees; the import keeps the ones
        # asked for and the meetings in the date range.
        for path in sorted(self.folder.glob(MEETINGS_PATTERN)):
            yield path.name, path.read_bytes()

    def meeting(self, meeting_id: int) -> bytes | None:
        if self._meetings is None:
            self._meetings = {}
            for path in sorted(self.folder.glob(MEETING_PATTERN)):
                found = _MEETING_ID.search(path.read_bytes()[:4096])
                if found:
                    self._meetings.setdefault(int(found[1]), path)
        saved = self._meetings.get(meeting_id)
        return saved.read_bytes() if saved else None

    def attachment(self, attachment_id: int) -> Attachment | None:
        return None

    def committee_url(self, committee_id: int) -> str:
        return ""

    def meeting_url(self, committee_id: int, meeting_id: int) -> str:
        return ""


# --------------------------------------------------------------------------
# The live web service.


def user_agent() -> str:
    """The User-Agent sent to councils: the portal's name and a contact."""
    name = f"{settings.PORTAL_NAME} governance portal"
    contact = settings.PORTAL_CONTACT_EMAIL
    text = f"{name} ModernGov importer (+mailto:{contact})"
    return text.encode("ascii", "ignore").decode()


def _service_url(base_url: str) -> str:
    """The mgWebService.asmx address from the site's or the service's own."""
    parts = urllib.parse.urlsplit(base_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ModernGovError(
            f"{base_url!r} is not a web address; give the council's site, for "
            "example https://democracy.example.gov.uk"
        )
    path = parts.path.rstrip("/")
    if not path.lower().endswith(".asmx"):
        path = f"{path}/{SERVICE}"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _opener() -> urllib.request.OpenerDirector:
    """HTTP and HTTPS only: no file:// or ftp://, even through a redirect."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _modern_gov_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class PoliteFetcher:
    """Web requests to a council's server, made politely.

    One request at a time, `delay` seconds between the start of one and the
    next; a network error, a timeout, a 5xx or a 429 answer is retried up to
    `retries` times after `retry_wait`, then twice that, and so on; a 4xx
    answer is not retried. Every request names the portal (`user_agent`)
    and only http and https are followed, even through a redirect.
    """

    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    retry_wait: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self.requests = 0
        self._last_request: float | None = None
        self._opener = _opener()
        self._agent = user_agent()

    def _wait_turn(self) -> None:
        if self._last_request is not None and self.delay > 0:
            remaining = self._last_request + self.delay - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self._last_request = self.clock()

    def get(self, url: str, *, limit: int) -> tuple[bytes, Message]:
        """The content and headers at `url`, read up to `limit` bytes.

        Raises FetchError when the request fails for good, or the answer is
        larger than `limit`.
        """
        attempt = 0
        while True:
            self._wait_turn()
            self.requests += 1
            request = urllib.request.Request(  # noqa: S310 - http(s) only, see _opener
                url, headers={"User-Agent": self._agent, "Accept": "*/*"}
            )
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    content = response.read(limit + 1)
                    headers = response.headers
            except urllib.error.HTTPError as error:
                retry = error.code >= 500 or error.code == 429
                problem = f"{url} answered {error.code} {error.reason}"
                status: int | None = error.code
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                retry = True
                reason = getattr(error, "reason", error)
                problem = f"{url} could not be reached: {reason}"
                status = None
            else:
                if len(content) > limit:
                    raise FetchError(f"{url} sent more than {limit} bytes; refused")
                return content, headers
            if not retry or attempt >= self.retries:
                raise FetchError(problem, status=status)
            self.sleep(self.retry_wait * 2**attempt)
            attempt += 1


@dataclass
class WebServiceSource:
    """A council's mgWebService.asmx, called politely.

    `delay` seconds pass between the start of one request and the next;
    a network error, a timeout, a 5xx or a 429 answer is retried up to
    `retries` times after `retry_wait`, then twice that, and so on. A 4xx
    answer is not retried. Responses larger than the parser accepts are
    refused without being read in full.
    """

    base_url: str
    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    retry_wait: float = 2.0
    save_to: Path | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    live: bool = field(default=True, init=False)

    def __post_init__(self) -> None:
        self.service = _service_url(self.base_url)
        parts = urllib.parse.urlsplit(self.service)
        self.site = urllib.parse.urlunsplit(
            (parts.scheme, parts.netloc, parts.path.rsplit("/", 1)[0], "", "")
        )
        self.host = parts.netloc.lower()
        self.description = f"the web service at {self.service}"
        self._fetcher = PoliteFetcher(
            delay=self.delay,
            timeout=self.timeout,
            retries=self.retries,
            retry_wait=self.retry_wait,
            sleep=self.sleep,
            clock=self.clock,
        )
        if self.save_to is not None:
            self.save_to.mkdir(parents=True, exist_ok=True)

    # -- the calls -----------------------------------------------------------

    def committees(self) -> bytes:
        content = self._call("GetCommittees", {})
        self._save(COMMITTEES_FILE, content)
        return content

    def meeting_lists(
        self, committee_ids: list[int], dates: DateRange
    ) -> Iterator[tuple[str, bytes]]:
        # The service wants both dates; an open end is a wide window.
        start = dates.first or dt.date(1990, 1, 1)
        end = dates.last or timezone.localdate() + dt.timedelta(days=366)
        for committee_id in committee_ids:
            content = self._call(
                "GetMeetings",
                {
                    "lCommitteeId": str(committee_id),
                    "sFromDate": _modern_gov_date(start),
                    "sToDate": _modern_gov_date(end),
                },
            )
            name = f"meetings_{committee_id}.xml"
            self._save(name, content)
            yield name, content

    def meeting(self, meeting_id: int) -> bytes | None:
        try:
            content = self._call("GetMeeting", {"lMeetingId": str(meeting_id)})
        except FetchError as error:
            if error.status == 404:
                return None
            raise
        self._save(f"meeting_{meeting_id}.xml", content)
        return content

    def attachment(self, attachment_id: int) -> Attachment | None:
        """The file of a document: GetAttachment, following its address if any.

        Some installations answer GetAttachment with the file itself, others
        with XML that gives the file's address on the same site; an address
        on another host is not followed. Raises FetchError when the file
        cannot be had.
        """
        url = self._url("GetAttachment", {"lAttachmentId": str(attachment_id)})
        limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
        content, headers = self._get(url, limit=limit)
        kind = headers.get_content_type()
        if kind.endswith("xml") or content.lstrip()[:1] == b"<":
            address = _attachment_address(content)
            if not address:
                raise FetchError("GetAttachment gave no file and no address")
            target = urllib.parse.urljoin(self.service, address)
            if urllib.parse.urlsplit(target).netloc.lower() != self.host:
                raise FetchError(
                    f"the file is on another site ({target}), which is not fetched"
                )
            content, headers = self._get(target, limit=limit)
            kind = headers.get_content_type()
        return Attachment(
            content=content,
            filename=headers.get_filename() or "",
            content_type=kind,
        )

    def committee_url(self, committee_id: int) -> str:
        return f"{self.site}/mgCommitteeDetails.aspx?ID={committee_id}"

    def meeting_url(self, committee_id: int, meeting_id: int) -> str:
        return f"{self.site}/ieListDocuments.aspx?CId={committee_id}&MId={meeting_id}"

    # -- HTTP ----------------------------------------------------------------

    def _url(self, call: str, params: dict[str, str]) -> str:
        query = urllib.parse.urlencode(params)
        return f"{self.service}/{call}" + (f"?{query}" if query else "")

    def _call(self, call: str, params: dict[str, str]) -> bytes:
        content, _headers = self._get(self._url(call, params), limit=MAX_RESPONSE_BYTES)
        return content

    def _get(self, url: str, *, limit: int) -> tuple[bytes, Message]:
        return self._fetcher.get(url, limit=limit)

    def _save(self, name: str, content: bytes) -> None:
        if self.save_to is not None:
            (self.save_to / name).write_bytes(content)


def _attachment_address(content: bytes) -> str:
    """The <url> of an XML GetAttachment answer, or "" when it has none."""
    if declares_entities(content):
        return ""
    try:
        root = ET.fromstring(content)  # noqa: S314 - DOCTYPE and ENTITY refused above
    except ET.ParseError:
        return ""
    found = root.find(".//url")
    return (found.text or "").strip() if found is not None else ""
