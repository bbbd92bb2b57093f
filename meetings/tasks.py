"""Background tasks of the meetings app (Django's tasks framework).

Run by `manage.py db_worker`, which takes them from the database queue.
"""

from django.tasks import task

from meetings.printing import packs


@task()
def build_pack(*, job_id: int) -> dict[str, object]:
    """Build the reports pack that kcsp.RenderJob `job_id` asks for.

    Failures are recorded on the job, for the pack's status page.
    """
    job = packs.pack_job_run(job_id=job_id)
    if job is None:
        return {"job": job_id, "status": "gone"}
    return {"job": job_id, "status": job.status, "message": job.message}
