import django.db.models.deletion
from django.db import migrations, models


def addresses_from_subscribers(apps, schema_editor):
    Delivery = apps.get_model("kcsp", "Delivery")
    for delivery in Delivery.objects.select_related("subscriber").iterator():
        delivery.email = delivery.subscriber.email
        delivery.save(update_fields=["email"])


class Migration(migrations.Migration):
    dependencies = [
        ("kcsp", "0015_email_alerts"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="delivery",
            name="delivery_unique_key",
        ),
        migrations.RemoveIndex(
            model_name="delivery",
            name="delivery_sent",
        ),
        migrations.AddField(
            model_name="delivery",
            name="kind",
            field=models.CharField(
                choices=[("alert", "Alert or digest"), ("copy", "Copy sent as of right")],
                default="alert",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="email",
            field=models.EmailField(default="", max_length=254),
            preserve_default=False,
        ),
        migrations.RunPython(addresses_from_subscribers, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delivery",
            name="subscriber",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deliveries",
                to="kcsp.subscriber",
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["email", "sent_at"], name="delivery_address_sent"),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(
                fields=("email", "key"), name="delivery_unique_address_key"
            ),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", "copy"), ("subscriber__isnull", False), _connector="OR"),
                name="delivery_alert_has_subscriber",
            ),
        ),
    ]
