"""The meetings app's models, re-exported so import paths stay stable."""

from meetings.models.agendas import AgendaItem, AgendaSection, Meeting
from meetings.models.attendance import (
    Attendance,
    Declaration,
    Quorum,
    meeting_quorum,
)
from meetings.models.bodies import AgendaTemplateItem, Body, Membership
from meetings.models.calls import CallForAction
from meetings.models.choices import StandardItem
from meetings.models.documents import Document, Supplement
from meetings.models.minutes import (
    MinuteItem,
    MinuteItemRevision,
    MinuteParagraph,
    Minutes,
    MinutesCorrection,
    NamedVote,
    Resolution,
    ResolutionPart,
)
from meetings.models.petitions import Petition, PetitionSignature
from meetings.models.questions import ANONYMOUS, PublicQuestion
from meetings.models.redaction import Redaction
from meetings.models.work import ForwardPlanItem, RecurringItem, ResolutionAction

__all__ = [
    "ANONYMOUS",
    "AgendaItem",
    "AgendaSection",
    "AgendaTemplateItem",
    "Attendance",
    "Body",
    "CallForAction",
    "Declaration",
    "Document",
    "ForwardPlanItem",
    "Meeting",
    "Membership",
    "MinuteItem",
    "MinuteItemRevision",
    "MinuteParagraph",
    "Minutes",
    "MinutesCorrection",
    "NamedVote",
    "Petition",
    "PetitionSignature",
    "PublicQuestion",
    "Quorum",
    "RecurringItem",
    "Redaction",
    "Resolution",
    "ResolutionAction",
    "ResolutionPart",
    "StandardItem",
    "Supplement",
    "meeting_quorum",
]
