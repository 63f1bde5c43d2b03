from django.db import migrations, models


def mark_public_ones(apps, schema_editor):
    apps.get_model("comments", "Comment").objects.filter(status="approved").update(was_published=True)


class Migration(migrations.Migration):
    dependencies = [("comments", "0006_moderators_see_subscriptions")]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="was_published",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_public_ones, migrations.RunPython.noop),
    ]
