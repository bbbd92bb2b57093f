"""The priorities' part of each version of the agreement.

Registered with the agreement app (which never imports this one) when the
app is ready: the agreement's refresh copies it, its approval publishes the
action plans, its document and changes page show it.
"""

from agreement.models import AgreementSection
from agreement.registry import AgreementPart, register
from priorities import changes, selectors, services

BLOCKS: dict[str, str] = {
    AgreementSection.Kind.PRIORITIES: "priorities/includes/agreement_priorities.html",
    AgreementSection.Kind.LEADS: "priorities/includes/agreement_leads.html",
    AgreementSection.Kind.CONTEXT: "priorities/includes/agreement_context.html",
}

PART = register(
    AgreementPart(
        name="priorities",
        document=selectors.document_part,
        blocks=BLOCKS,
        copy=services.priorities_copy,
        problems=services.approval_problems,
        approve=services.plan_publish,
        discard=services.priorities_discard,
        changes=changes.priority_changes,
        links="priorities/includes/agreement_links.html",
    )
)
