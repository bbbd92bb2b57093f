"""Public meeting pages in sitemap.xml: committees, meetings, calls for
action, petitions and lists.

Each queryset is the models' own public rule, so a body whose meetings are
not published, and its meetings, never appear. Papers are not listed: a
meeting's page links to those the public may read.
"""

from kcsp.registry import register_sitemap
from kcsp.sitemaps import NamedPagesSitemap, PublicRowsSitemap
from meetings.models import Body, CallForAction, Meeting, Petition


class ListsSitemap(NamedPagesSitemap):
    by_partnership = True
    changefreq = "weekly"
    url_names = (
        "meetings:body_list",
        "meetings:list",
        "meetings:decisions",
        "meetings:calls",
        "meetings:petitions",
    )
    narrowed_names = (
        "meetings:list",
        "meetings:decisions",
        "meetings:calls",
        "meetings:petitions",
    )


class BodySitemap(PublicRowsSitemap):
    model = Body


class MeetingSitemap(PublicRowsSitemap):
    changefreq = "weekly"
    model = Meeting
    related = ("body",)


class CallSitemap(PublicRowsSitemap):
    """Calls for action once the committee considers them."""

    model = CallForAction


class PetitionSitemap(PublicRowsSitemap):
    """Petitions once the clerk has published them."""

    model = Petition


register_sitemap("meeting-lists", ListsSitemap)
register_sitemap("committees", BodySitemap)
register_sitemap("meetings", MeetingSitemap)
register_sitemap("calls-for-action", CallSitemap)
register_sitemap("petitions", PetitionSitemap)
