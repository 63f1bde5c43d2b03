"""Settings › Writing with its default category ("Uncategorized", as WordPress makes it), and
a display name for bylines that authors and contributors set on their own profile."""

import django.db.models.deletion
from django.db import migrations, models

# Everyone who writes keeps their own profile (the admin limits it to their own row).
PROFILE = ["add_authorprofile", "change_authorprofile", "view_authorprofile"]
WRITERS = ["Author", "Contributor"]


def create_default_category(apps, schema_editor):
    Category = apps.get_model("blog", "Category")
    WritingSettings = apps.get_model("blog", "WritingSettings")
    category, _created = Category.objects.get_or_create(slug="uncategorized", defaults={"name": "Uncategorized"})
    WritingSettings.objects.get_or_create(pk=1, defaults={"default_category": category})


def grant_profiles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="blog", codename__in=PROFILE)
    for group in Group.objects.filter(name__in=WRITERS):
        group.permissions.add(*permissions)


def revoke_profiles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="blog", codename__in=PROFILE)
    for group in Group.objects.filter(name__in=WRITERS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0012_images"),
    ]

    operations = [
        migrations.AddField(
            model_name="authorprofile",
            name="display_name",
            field=models.CharField(
                blank=True,
                help_text="The name on your posts' bylines, author page and feeds. Empty: your full name, else username.",
                max_length=150,
                verbose_name="display name publicly as",
            ),
        ),
        migrations.AlterField(
            model_name="post",
            name="categories",
            field=models.ManyToManyField(
                blank=True,
                help_text="Leave empty to file the post under the default category (Settings › Writing).",
                related_name="posts",
                to="blog.category",
                verbose_name="categories",
            ),
        ),
        migrations.CreateModel(
            name="WritingSettings",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "default_category",
                    models.ForeignKey(
                        help_text="A post saved without a category is filed here. Rename it freely; it cannot be deleted.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="blog.category",
                        verbose_name="default post category",
                    ),
                ),
            ],
            options={
                "verbose_name": "writing settings",
                "verbose_name_plural": "writing settings",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("pk", 1)), name="writing_settings_singleton")
                ],
            },
        ),
        migrations.RunPython(create_default_category, migrations.RunPython.noop),
        migrations.RunPython(grant_profiles, revoke_profiles),
    ]
