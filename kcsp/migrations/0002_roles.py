"""Create the four role groups.

Their model permissions are given by kcsp.roles.sync_role_permissions, which
runs after every migrate so that models added later are covered too.
"""

from django.db import migrations

ROLES = ["Clerk", "Partner officer", "DHR coordinator", "Administrator"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kcsp", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
