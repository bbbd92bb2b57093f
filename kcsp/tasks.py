"""Background tasks of the core (Django's tasks framework)."""

from django.tasks import task

from kcsp.reminders import send_action_reminders


@task()
def send_reminders_task() -> int:
    return send_action_reminders()
