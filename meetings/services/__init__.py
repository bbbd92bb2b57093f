"""State changes of the meetings app; see the modules for agendas, attendance,
minutes, recorded votes, redaction, retention and the work that follows meetings."""

from meetings.services.agendas import *  # noqa: F403
from meetings.services.attendance import *  # noqa: F403
from meetings.services.calls import *  # noqa: F403
from meetings.services.membership import *  # noqa: F403
from meetings.services.minutes import *  # noqa: F403
from meetings.services.petitions import *  # noqa: F403
from meetings.services.questions import *  # noqa: F403
from meetings.services.redaction import *  # noqa: F403
from meetings.services.retention import *  # noqa: F403
from meetings.services.votes import *  # noqa: F403
from meetings.services.work import *  # noqa: F403
