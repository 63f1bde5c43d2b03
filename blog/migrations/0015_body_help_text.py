"""The body's help text speaks of the visual editor (the HTML textarea is what JavaScript-less browsers get)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0014_revisions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="page",
            name="body",
            field=models.TextField(
                help_text="Scripts and unsafe HTML are removed on save (without JavaScript, type HTML here).",
                verbose_name="body",
            ),
        ),
        migrations.AlterField(
            model_name="post",
            name="body",
            field=models.TextField(
                help_text="Scripts and unsafe HTML are removed on save (without JavaScript, type HTML here).",
                verbose_name="body",
            ),
        ),
    ]
