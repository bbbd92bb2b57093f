"""Background tasks of the core (Django's tasks framework), run by
`manage.py db_worker`."""

from django.tasks import task

from kcsp.alerts.sending import alerts_send


@task()
def send_alerts() -> dict[str, int]:
    """Queue and send the e-mail alerts due (see kcsp.alerts.sending)."""
    return alerts_send().as_dict()
