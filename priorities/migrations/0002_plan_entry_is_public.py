from django.db import migrations, models
from django.db.models import Q

HELP = (
    "Shown to the public while the version is approved (from approval, for a "
    "draft). Untick for actions shared with partners only."
)


def entries_keep_their_choice(apps, schema_editor):
    """An entry is shown to the public if its action was public, or was
    waiting for its draft version's approval to become so."""
    PriorityAction = apps.get_model("priorities", "PriorityAction")
    PriorityAction.objects.exclude(
        Q(action__is_public=True) | Q(publish_when_approved=True)
    ).update(is_public=False)


class Migration(migrations.Migration):
    """Whether a plan's action is public is the entry's to say, and the
    action's public view follows from it (the core no longer keeps a copy)."""

    dependencies = [
        ("kcsp", "0008_search_word_pairs"),
        ("priorities", "0001_initial"),
    ]
    run_before = [("kcsp", "0009_action_public_from_source")]

    operations = [
        migrations.AddField(
            model_name="historicalpriorityaction",
            name="is_public",
            field=models.BooleanField(
                default=True, help_text=HELP, verbose_name="shown to the public"
            ),
        ),
        migrations.AddField(
            model_name="priorityaction",
            name="is_public",
            field=models.BooleanField(
                default=True, help_text=HELP, verbose_name="shown to the public"
            ),
        ),
        migrations.RunPython(entries_keep_their_choice, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="historicalpriorityaction",
            name="publish_when_approved",
        ),
        migrations.RemoveField(
            model_name="priorityaction",
            name="publish_when_approved",
        ),
    ]
