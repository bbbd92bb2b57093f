"""Every back-office page a clerk can reach passes axe (WCAG 2.2 AA), with
the demo partnership's records in it: the index, each list, each add form
and a record's change form."""

import io
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tests.browser.conftest import WCAG_22_AA
from tests.browser.helpers import sign_in


def _clerk_pages(clerk: Any) -> list[str]:
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        if not clerk.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        pages.append(reverse(f"admin:{name}_changelist"))
        if clerk.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
            pages.append(reverse(f"admin:{name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"admin:{name}_change", args=[first.pk]))
    return pages


def test_every_back_office_page_a_clerk_reaches_passes_axe(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    call_command("load_demo", force=True, stdout=io.StringIO())
    clerk = get_user_model().objects.get(username="clerk")
    clerk.set_password("a-long-test-password")
    clerk.save()
    sign_in(page, "clerk")
    pages = _clerk_pages(clerk)
    assert len(pages) > 40  # lists, add forms and records of every app a clerk keeps
    failures = []
    for url in pages:
        page.goto(url)
        page.wait_for_load_state("load")
        results = Axe().run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}}
        )
        if results.violations_count:
            failures.append(f"{url}\n{results.generate_report()}")
    assert not failures, "\n\n".join(failures)
