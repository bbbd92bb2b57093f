"""District partnerships' strategic assessments and the county agreement's
matrix computed from them."""

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agreement import selectors, services
from agreement.models import Agreement, StrategicAssessment
from kcsp.roles import Role
from kcsp.visibility import Audience
from tests import factories
from tests.agreement import factories as csa
from tests.factories import pdf_bytes
from tests.helpers import text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def current() -> Agreement:
    agreement = csa.agreement()
    csa.matrix(agreement)
    return agreement


def _matrix(agreement: Agreement) -> selectors.MatrixView:
    return selectors.assessment_matrix(
        round_=agreement.assessment_rounds.get(), audience=Audience.PUBLIC
    )


# Records ------------------------------------------------------------------------


def test_an_assessment_keeps_its_priorities_in_rank_order() -> None:
    dover = factories.partnership("Dover")
    assessment = services.strategic_assessment_record(
        partnership=dover,
        year=2010,
        priorities=[" Domestic Abuse ", "ASB/Environmental", ""],
        summary="Domestic abuse rose most.",
    )
    assert assessment.priority_list == ["Domestic Abuse", "ASB/Environmental"]
    assert assessment.rank_of("asb/environmental") == 2
    assert assessment.rank_of("Theft") is None
    assert (
        str(assessment)
        == "Dover Community Safety Partnership strategic assessment 2010"
    )
    # Recording the same year again replaces it, rather than adding a second.
    again = services.strategic_assessment_record(
        partnership=dover, year=2010, priorities=["Theft"]
    )
    assert again.pk == assessment.pk
    assert StrategicAssessment.objects.get().priority_list == ["Theft"]


def test_bad_assessments_are_refused_with_a_clear_message() -> None:
    dover = factories.partnership("Dover")
    with pytest.raises(ValidationError, match="Each priority once only: Theft"):
        services.strategic_assessment_record(
            partnership=dover, year=2010, priorities=["Theft", "theft"]
        )
    with pytest.raises(ValidationError, match="Give at least one priority"):
        services.strategic_assessment_record(
            partnership=dover, year=2010, priorities=[]
        )
    with pytest.raises(ValidationError, match="district or borough partnership"):
        services.strategic_assessment_record(
            partnership=factories.partnership(), year=2010, priorities=["Theft"]
        )
    assert not StrategicAssessment.objects.exists()


def test_the_document_is_checked_by_its_contents() -> None:
    dover = factories.partnership("Dover")
    assessment = services.strategic_assessment_record(
        partnership=dover,
        year=2010,
        priorities=["Theft"],
        document=io.BytesIO(pdf_bytes()),
        document_name="Dover assessment 2010.pdf",
    )
    assert assessment.is_pdf and assessment.kind_label == "PDF"
    assert assessment.filename == "Dover_assessment_2010.pdf"
    assert len(assessment.sha256) == 64
    with pytest.raises(ValidationError, match="its contents are not a PDF"):
        services.strategic_assessment_record(
            partnership=dover,
            year=2011,
            priorities=["Theft"],
            document=io.BytesIO(b"not a pdf at all"),
            document_name="assessment.pdf",
        )


# The matrix ----------------------------------------------------------------------


def test_matrix_is_computed_from_the_district_assessments(current) -> None:
    m = _matrix(current)
    assert [c.partnership.label for c in m.columns] == [
        "Ashford CSP",
        "Dover CSP",
        "Swale CSP",
    ]
    assert m.counts() == {
        "ASB/Environmental": 2,
        "Domestic Abuse": 2,
        "Substance Misuse": 1,
    }
    substance = next(r for r in m.rows if r.issue.name == "Substance Misuse")
    ashford, dover, swale = substance.cells
    assert (ashford.rank, ashford.missing) == (3, False)
    assert (dover.named, dover.missing) == (False, False)  # "no"
    assert swale.missing and not swale.named  # missing, not "no"
    assert [c.partnership.label for c in m.missing] == ["Swale CSP"]


def test_an_assessment_of_another_year_does_not_count(current) -> None:
    services.strategic_assessment_record(
        partnership=factories.partnership("Swale"),
        year=2011,
        priorities=["Substance Misuse"],
    )
    m = _matrix(current)
    assert m.counts()["Substance Misuse"] == 1
    assert [c.partnership.label for c in m.missing] == ["Swale CSP"]
    services.strategic_assessment_record(
        partnership=factories.partnership("Swale"),
        year=2010,
        priorities=["Substance Misuse"],
    )
    assert _matrix(current).counts()["Substance Misuse"] == 2
    assert _matrix(current).missing == []


def test_a_refresh_carries_the_round_and_its_year(current) -> None:
    import datetime as dt

    draft = services.agreement_refresh(
        agreement=current,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    assert _matrix(draft).counts() == _matrix(current).counts()


# The page -----------------------------------------------------------------------


def test_page_shows_the_matrix_as_a_table_and_a_chart(client: Client, current) -> None:
    body = text(client.get(reverse("agreement:current")))
    table = body[body.index('<table class="matrix__table">') :]
    table = table[: table.index("</table>")]
    assert "<caption" in table and "for 2010" in table
    assert "2 of 3 partnerships' assessments recorded" in table
    assert (
        '<th scope="col"><a href="/agreement/assessments/ashford/2010/">Ashford CSP'
        '</a><br><span class="matrix__note">Assessment 2010' in table
    )
    assert (
        '<th scope="col">Swale CSP<br><span class="matrix__note">No assessment for 2010'
        in table
    )
    row = re.search(r'<th scope="row">Substance Misuse.*?</tr>', table, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    assert cells == [
        "1",
        "Yes, ranked 3",
        "No",
        '<span class="matrix__missing">No assessment for 2010</span>',
    ]
    assert "No strategic assessment for 2010 is recorded for: Swale Community" in body
    assert re.search(
        r'<svg role="img" aria-labelledby="matrix-\d+-title matrix-\d+-desc"', body
    )
    assert (
        "ASB/Environmental: 2 of 2 assessed; Domestic Abuse: 2 of 2 assessed; "
        "Substance Misuse: 1 of 2 assessed." in body
    )
    assert "Not recorded" not in table


# The back office ---------------------------------------------------------------


def test_a_district_clerk_records_only_their_own_assessments(
    client: Client, current
) -> None:
    dover = factories.partnership("Dover")
    ashford = factories.partnership("Ashford")
    theirs = StrategicAssessment.objects.get(partnership=ashford)
    client.force_login(factories.user("dover-clerk", Role.CLERK, clerk_of=[dover]))
    listing = text(
        client.get(reverse("admin:agreement_strategicassessment_changelist"))
    )
    assert "Dover Community Safety Partnership" in listing
    assert "Ashford Community Safety Partnership" not in listing
    url = reverse("admin:agreement_strategicassessment_change", args=[theirs.pk])
    assert client.get(url).status_code in (302, 404)
    assert client.post(url, {"priorities": "Theft"}).status_code in (302, 404)
    theirs.refresh_from_db()
    assert theirs.rank_of("Theft") is None
    add = reverse("admin:agreement_strategicassessment_add")
    form = text(client.get(add))
    assert "Dover Community Safety Partnership" in form
    assert "Ashford Community Safety Partnership" not in form
    # Another partnership's id is refused; the typed words are kept.
    refused = client.post(
        add,
        {"partnership": ashford.pk, "year": "2011", "priorities": "Theft\nBurglary"},
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in text(refused)
    assert "Theft\nBurglary" in text(refused)
    # A file that is not what it says is refused by its contents.
    fake = SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")
    refused = client.post(
        add,
        {
            "partnership": dover.pk,
            "year": "2011",
            "priorities": "Theft",
            "document": fake,
        },
    )
    assert "its contents are not a PDF" in text(refused)
    done = client.post(
        add,
        {
            "partnership": dover.pk,
            "year": "2011",
            "priorities": "Theft\nBurglary",
            "document": SimpleUploadedFile("d.pdf", pdf_bytes()),
        },
    )
    assert done.status_code == 302
    made = StrategicAssessment.objects.get(partnership=dover, year=2011)
    assert made.priority_list == ["Theft", "Burglary"]
    assert made.file_kind == "pdf" and made.uploaded_by is not None


def test_a_district_clerk_cannot_change_the_county_matrix(
    client: Client, current
) -> None:
    round_ = current.assessment_rounds.get()
    issue = round_.issues.get(name="Domestic Abuse")
    dover = factories.partnership("Dover")
    client.force_login(factories.user("dover-clerk", Role.CLERK, clerk_of=[dover]))
    for model, row in [("assessmentround", round_), ("assessmentissue", issue)]:
        listing = text(client.get(reverse(f"admin:agreement_{model}_changelist")))
        assert "Domestic Abuse" not in listing and "2010/11" not in listing
        change = reverse(f"admin:agreement_{model}_change", args=[row.pk])
        assert client.get(change).status_code in (302, 404)
    client.force_login(factories.user("county-clerk", Role.CLERK))
    change = reverse("admin:agreement_assessmentissue_change", args=[issue.pk])
    assert "Domestic Abuse" in text(client.get(change))


# A page per assessment, and its document ----------------------------------------


def test_each_assessment_has_a_page_the_matrix_links_to(
    client: Client, current
) -> None:
    dover = StrategicAssessment.objects.get(partnership__slug="dover", year=2010)
    services.strategic_assessment_record(
        partnership=dover.partnership,
        year=2010,
        priorities=dover.priority_list,
        summary="Violent crime in Dover town centre rose for the second year.",
        document=io.BytesIO(pdf_bytes()),
        document_name="Dover assessment 2010.pdf",
    )
    page_url = reverse("agreement:assessment", args=["dover", 2010])
    agreement_page = text(client.get(current.get_absolute_url()))
    assert f'<a href="{page_url}">Dover CSP</a>' in agreement_page
    # Swale's assessment is missing: its column has nothing to link to.
    assert 'href="/agreement/assessments/swale/' not in agreement_page

    page = text(client.get(page_url))
    assert "<h1>Strategic assessment 2010</h1>" in page
    assert "Dover Community Safety Partnership" in page
    assert "Violent crime in Dover town centre rose" in page
    listed = re.findall(r"<li>([^<]+)</li>", page.split("highest first")[1])
    assert listed[: len(dover.priority_list)] == dover.priority_list
    document_url = "/agreement/assessments/dover/2010/Dover_assessment_2010.pdf"
    assert f'<a href="{document_url}">Strategic assessment 2010' in page
    assert "(PDF, " in page
    assert f'<a href="{current.get_absolute_url()}">' in page

    download = client.get(document_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("inline")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == pdf_bytes()
    renamed = client.get("/agreement/assessments/dover/2010/old-name.pdf")
    assert renamed.status_code == 302 and renamed["Location"] == document_url


def test_an_assessment_without_a_document_says_so(client: Client, current) -> None:
    page = text(client.get(reverse("agreement:assessment", args=["ashford", 2010])))
    assert "has not published the assessment itself" in page
    assert client.get("/agreement/assessments/ashford/2010/x.pdf").status_code == 404
    for missing in ("swale/2010/", "dover/2011/", "atlantis/2010/"):
        assert client.get(f"/agreement/assessments/{missing}").status_code == 404


def test_a_document_other_than_a_pdf_is_downloaded(client: Client) -> None:
    services.strategic_assessment_record(
        partnership=factories.partnership("Thanet"),
        year=2012,
        priorities=["Theft"],
        document=io.BytesIO(factories.zip_of_many_parts(3)),
        document_name="thanet-2012.docx",
    )
    download = client.get("/agreement/assessments/thanet/2012/thanet-2012.docx")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
