"""A real SMTP server for tests that send mail: aiosmtpd on 127.0.0.1.

The `smtp_server` fixture (tests/conftest.py) starts it on a free port and
points the portal's mailer at it through Django's SMTP backend; a test reads
back what arrived as parsed messages, headers, parts and links. The alerts
benchmark (bench/alerts.py) runs the same server with a mailbox that only
counts what arrives (`Mailbox(keep=False)`).
"""

import email
import email.policy
import re
import socket
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s<>\"]+")


class Mailbox:
    """aiosmtpd's handler: keeps each message received, can refuse the
    next few with a temporary failure (451), as a busy server does, and
    refuses for good (550) the addresses in `unknown`, as a server does an
    address that does not exist."""

    def __init__(self, *, keep: bool = True) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []
        self.refusals = 0
        self.keep = keep
        self.received = 0
        self.unknown: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.unknown:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusals > 0:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        self.received += 1
        if not self.keep:
            return "250 OK"
        self.envelopes.append(envelope)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"

    def refuse_next(self, count: int = 1) -> None:
        self.refusals = count

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def clear(self) -> None:
        self.messages.clear()
        self.envelopes.clear()
        self.received = 0
        self.unknown.clear()


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "no plain-text part"
    return part.get_content()


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "no HTML part"
    return part.get_content()


def links_in(message: EmailMessage) -> list[str]:
    return LINK.findall(text_of(message))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(mailbox: Mailbox | None = None) -> tuple[Controller, Mailbox]:
    mailbox = mailbox or Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox


def mailers_for(port: int) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
