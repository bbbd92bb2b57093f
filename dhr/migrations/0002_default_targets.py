from django.db import migrations

DEFAULT_TARGETS = [
    (
        "decided",
        "notified",
        1,
        "months",
        "Practice under the statutory guidance: decide whether to hold a review "
        "within one month of the police notification.",
    ),
    (
        "qa_submitted",
        "decided",
        6,
        "months",
        "Practice under the statutory guidance: complete the review within six "
        "months of the decision to hold it.",
    ),
]


def add_defaults(apps, schema_editor):
    StageTarget = apps.get_model("dhr", "StageTarget")
    Configuration = apps.get_model("dhr", "Configuration")
    for stage, after, amount, unit, basis in DEFAULT_TARGETS:
        StageTarget.objects.get_or_create(
            stage=stage,
            defaults={"after": after, "amount": amount, "unit": unit, "basis": basis},
        )
    Configuration.objects.get_or_create(pk=1, defaults={"takedown_after_months": 12})


class Migration(migrations.Migration):
    dependencies = [("dhr", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
