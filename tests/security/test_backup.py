"""A backup restores into an empty database with every record and file intact."""

import hashlib
import io
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from kcsp import services
from kcsp.models import Action
from meetings.models import (
    AgendaItem,
    Attendance,
    Document,
    Meeting,
    MinuteItem,
    MinuteParagraph,
    Minutes,
    Resolution,
)
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

KEPT = [Meeting, AgendaItem, Attendance, Minutes, MinuteItem, MinuteParagraph]
KEPT += [Resolution, Document, Action]


def _snapshot() -> dict[str, Any]:
    records = {
        model._meta.label: list(model.objects.order_by("pk").values()) for model in KEPT
    }
    history = {
        model._meta.label: model.history.count()
        for model in KEPT
        if hasattr(model, "history")
    }
    media = Path(settings.MEDIA_ROOT)
    files = {
        str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(media.rglob("*"))
        if p.is_file()
    }
    return {"records": records, "history": history, "files": files}


def _empty_everything() -> None:
    call_command("flush", interactive=False, verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    for child in media.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


@pytest.fixture
def partnership() -> None:
    call_command("load_demo", force=True, stdout=io.StringIO())
    meeting = Meeting.objects.filter(minutes__isnull=False).first()
    factories.document(meeting, title="Quarterly performance report")
    partner = get_user_model().objects.get(username="partner")
    action = Action.objects.filter(
        owner_organisation=partner.person.organisation
    ).open()[0]
    services.action_post_update(
        action=action,
        by=partner,
        text="Figures attached.",
        evidence=io.BytesIO(factories.pdf_bytes()),
        evidence_name="figures.pdf",
    )


def test_restore_into_an_empty_database_gives_back_every_record_and_file(
    partnership: None, tmp_path: Path
) -> None:
    before = _snapshot()
    assert before["files"], "the demo should hold uploaded files"
    assert all(before["records"].values())
    archive = tmp_path / "kcsp.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())

    _empty_everything()
    assert Meeting.objects.count() == 0
    assert _snapshot()["files"] == {}

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Restored" in out.getvalue()
    after = _snapshot()
    assert after["records"] == before["records"]
    assert after["history"] == before["history"]
    assert after["files"] == before["files"]
    # Accounts come back able to sign in with their own passwords.
    assert (
        get_user_model().objects.get(username="clerk").check_password("clerk-demo-pass")
    )


def test_restore_refuses_a_database_that_already_has_records(
    partnership: None, tmp_path: Path
) -> None:
    archive = tmp_path / "kcsp.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    meetings = Meeting.objects.count()
    with pytest.raises(CommandError, match="already holds records"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Meeting.objects.count() == meetings


def test_a_damaged_archive_is_refused_before_anything_is_written(
    partnership: None, tmp_path: Path
) -> None:
    archive = tmp_path / "kcsp.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar.gz"
    with (
        tarfile.open(archive, "r:gz") as source,
        tarfile.open(damaged, "w:gz") as target,
    ):
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name.startswith("files/") and member.size:
                content = b"tampered" + data.read()
                member.size = len(content)
                target.addfile(member, io.BytesIO(content))
            else:
                target.addfile(member, data)
    _empty_everything()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), stdout=io.StringIO())
    assert Meeting.objects.count() == 0
    with pytest.raises(CommandError, match="not a backup archive"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_restore_after_migrate_made_the_role_groups_under_other_ids(
    partnership: None, tmp_path: Path
) -> None:
    from django.contrib.auth.models import Group

    archive = tmp_path / "kcsp.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    _empty_everything()
    # A new database's groups, made by migrate, rarely share the old ids.
    for group in Group.objects.all():
        Group.objects.create(name=f"{group.name} (new)")
        group.delete()
    for group in Group.objects.all():
        group.name = group.name.removesuffix(" (new)")
        group.save()
    call_command("restore", str(archive), stdout=io.StringIO())
    clerk = get_user_model().objects.get(username="clerk")
    assert [g.name for g in clerk.groups.all()] == ["Clerk"]
    assert clerk.has_perm("meetings.change_meeting")
