"""State changes of the meetings app; see the modules for agendas and minutes."""

from meetings.services.agendas import *  # noqa: F403
from meetings.services.minutes import *  # noqa: F403
from meetings.services.work import *  # noqa: F403
