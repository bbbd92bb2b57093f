"""A link a page shows: where it leads and what it says."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """A link on a page (back to where a reader came from, the way on from a
    problem, a step of the breadcrumb trail): its address and its words."""

    url: str
    text: str
