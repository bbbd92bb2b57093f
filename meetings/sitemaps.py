"""Public meeting pages in sitemap.xml: committees, meetings and lists.

Each queryset is the models' own public rule, so a body whose meetings are
not published, and its meetings, never appear. Papers are not listed: a
meeting's page links to those the public may read.
"""

import datetime as dt
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kcsp.registry import register_sitemap
from meetings.models import Body, Meeting


class ListsSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["meetings:body_list", "meetings:list", "meetings:decisions"]

    def location(self, item: str) -> str:
        return reverse(item)


class BodySitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> Any:
        return Body.objects.public().order_by("pk")

    def lastmod(self, obj: Body) -> dt.datetime:
        return obj.updated_at


class MeetingSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> Any:
        return Meeting.objects.public().select_related("body").order_by("pk")

    def lastmod(self, obj: Meeting) -> dt.datetime:
        return obj.updated_at


register_sitemap("meeting-lists", ListsSitemap)
register_sitemap("committees", BodySitemap)
register_sitemap("meetings", MeetingSitemap)
