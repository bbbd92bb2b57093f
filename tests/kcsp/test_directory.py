import datetime as dt

import pytest

from kcsp.models import Organisation, Person, Post, PostHolding

pytestmark = pytest.mark.django_db


def test_formal_name_with_initials_and_honours() -> None:
    hill = Person(
        title="Mr",
        forenames="Peter Michael",
        known_as="Mike",
        surname="Hill",
        honours="OBE",
    )
    assert hill.formal_name == "Mr P M Hill, OBE"
    assert hill.full_name == "Mike Hill, OBE"
    assert hill.short_name == "Mr Hill"
    assert str(hill) == "Mr P M Hill, OBE"


def test_formal_name_uses_initials_as_written() -> None:
    tweed = Person(title="Mrs", initials="E.M.", surname="Tweed")
    assert tweed.formal_name == "Mrs E M Tweed"


def test_formal_name_without_initials_or_title() -> None:
    assert Person(title="Mr", surname="Rivers").formal_name == "Mr Rivers"
    assert Person(title="Supt", initials="L", surname="Russell").formal_name == (
        "Supt L Russell"
    )
    assert Person(surname="Burns", initials="D").formal_name == "D Burns"
    assert Person(title="Mr", surname="Rivers").full_name == "Mr Rivers"


def test_post_is_held_by_different_people_over_time(kfrs: Organisation) -> None:
    kcc = Organisation.objects.create(
        name="Kent County Council", slug="kcc", short_name="KCC"
    )
    post = Post.objects.create(title="Head of Community Safety", organisation=kcc)
    beaumont = Person.objects.create(title="Mr", initials="S", surname="Beaumont")
    peerbux = Person.objects.create(title="Mr", initials="S", surname="Peerbux")
    PostHolding.objects.create(
        post=post, person=beaumont, start=dt.date(2010, 1, 1), end=dt.date(2015, 5, 31)
    )
    PostHolding.objects.create(post=post, person=peerbux, start=dt.date(2016, 1, 1))
    assert str(post) == "Head of Community Safety, KCC"
    assert post.holder_on(dt.date(2015, 3, 19)) == beaumont
    assert post.holder_on(dt.date(2022, 3, 24)) == peerbux
    assert post.holder_on(dt.date(2015, 9, 1)) is None


def test_directory_changes_are_recorded_in_history(kfrs: Organisation) -> None:
    kfrs.short_name = "KFRS"
    kfrs.save()
    kfrs.website = "https://www.kent.fire-uk.org"
    kfrs.save()
    assert kfrs.history.count() >= 2
    assert kfrs.history.first().website == "https://www.kent.fire-uk.org"
