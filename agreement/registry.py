"""How other apps add their part to each version of the agreement.

The agreement app imports none of them: the priorities app imports this one,
never the other way round. An app registers an `AgreementPart` from its
AppConfig.ready(); the agreement's services call every part when a version
is refreshed, approved or discarded, and its selectors ask every part for
its data, the templates of its blocks in the document and what changed.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kcsp.registry import Registry

if TYPE_CHECKING:
    from agreement.changes import ChangeGroup
    from agreement.models import Agreement
    from kcsp.visibility import Audience


@dataclass(frozen=True, kw_only=True)
class AgreementPart:
    """What another app keeps for each version, and how to carry it forward.

    - `document(agreement=, audience=)`: the part's data for the document,
      read with a fixed number of queries; templates find it under
      ``document.parts.<name>``.
    - `blocks`: section kind -> template drawing the part's block there.
    - `copy(source=, draft=)`: copy the part from `source` into the new
      draft `draft`, leaving `source` untouched.
    - `problems(agreement=)`: reasons the draft cannot yet be approved.
    - `approve(agreement=)`: run once the draft is approved.
    - `discard(draft=)`: run before a draft is deleted.
    - `changes(earlier=, later=)`: what changed, as change groups.
    - `links`: a template of list items linking to the part's own pages,
      shown with the version's links (the agreement app names no other
      app's addresses).
    """

    name: str
    document: Callable[..., Any]
    blocks: Mapping[str, str]
    copy: Callable[..., None]
    problems: Callable[..., list[str]]
    approve: Callable[..., None]
    discard: Callable[..., None]
    changes: Callable[..., "list[ChangeGroup]"]
    links: str = ""


_parts: Registry[AgreementPart] = Registry(key=lambda p: p.name)
register = _parts.register
parts = _parts.all


def part_documents(*, agreement: "Agreement", audience: "Audience") -> dict[str, Any]:
    return {p.name: p.document(agreement=agreement, audience=audience) for p in parts()}


def link_templates() -> list[str]:
    return [part.links for part in parts() if part.links]


def block_templates() -> dict[str, str]:
    templates: dict[str, str] = {}
    for part in parts():
        templates.update(part.blocks)
    return templates
