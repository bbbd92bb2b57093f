from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kcsp import authenticators


class Command(BaseCommand):
    help = (
        "Print a one-time link with which a staff account sets up its "
        "authenticator app: for the first administrator of a new site, who has "
        "no administrator to allow it, or for anyone when the back office is out "
        "of reach. The link works once, only after signing in as that account."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--hours",
            type=int,
            default=authenticators.ENROLMENT_HOURS,
            help="How long the link works (default %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as missing:
            raise CommandError(f"There is no account {username!r}.") from missing
        try:
            enrolment = authenticators.enrolment_allow(
                user=user, by=None, hours=options["hours"], link=True
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(authenticators.enrolment_link_url(enrolment.link_token))
        self.stdout.write(
            f"It works once, for {username} after signing in with their password, "
            f"until {timezone.localtime(enrolment.expires_at):%Y-%m-%d %H:%M}."
        )
