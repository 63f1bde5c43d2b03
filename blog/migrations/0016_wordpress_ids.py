"""Old WordPress ids on posts and pages: an import keeps them, so /?p=<id> and /?page_id=<id> links still work."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0015_body_help_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="page",
            name="wordpress_id",
            field=models.PositiveIntegerField(
                blank=True, editable=False, null=True, unique=True, verbose_name="WordPress ID"
            ),
        ),
        migrations.AddField(
            model_name="post",
            name="wordpress_id",
            field=models.PositiveIntegerField(
                blank=True, editable=False, null=True, unique=True, verbose_name="WordPress ID"
            ),
        ),
    ]
