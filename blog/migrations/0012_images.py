"""The media library: blog.Image, the featured image becomes one, and the roles get media.

Each post's featured image file becomes an Image row (its alt text from
featured_image_alt, its size and social card kept, its renditions made now; a file
gone missing gets none), then the old columns go. Editors get every media
permission; authors the same over their own uploads (the admin limits them, see
blog.permissions); contributors none, as in WordPress.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import blog.models.media
import blog.validators

IMAGE_PERMISSIONS = ["add_image", "change_image", "delete_image", "view_image"]
ROLES_WITH_MEDIA = ["Editor", "Author"]


def featured_images_to_library(apps, schema_editor):
    from blog.renditions import MIME_TYPES, renditions_from_stored

    Post = apps.get_model("blog", "Post")
    Image = apps.get_model("blog", "Image")
    extensions = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
    for post in Post.objects.exclude(legacy_featured_image="").exclude(legacy_featured_image__isnull=True):
        name = post.legacy_featured_image.name
        image_format = extensions.get(name.rsplit(".", 1)[-1].lower(), "")
        made, card = renditions_from_stored(name)
        try:
            filesize = post.legacy_featured_image.size
        except OSError:
            filesize = 0
        image = Image.objects.create(
            file=name,
            alt=post.featured_image_alt or post.title,
            width=post.featured_image_width or 0,
            height=post.featured_image_height or 0,
            format=image_format if image_format in MIME_TYPES else "",
            filesize=filesize,
            renditions=made,
            social_card=card or post.featured_image_social,
            uploaded_by_id=post.author_id,
        )
        post.featured_image = image
        post.save(update_fields=["featured_image"])


def library_to_featured_images(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    for post in Post.objects.exclude(featured_image=None).select_related("featured_image"):
        image = post.featured_image
        post.legacy_featured_image = image.file.name
        post.featured_image_alt = image.alt
        post.featured_image_width, post.featured_image_height = image.width or None, image.height or None
        post.featured_image_social = image.social_card
        post.featured_image = None
        post.save()


def grant_media(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="blog", codename__in=IMAGE_PERMISSIONS)
    for group in Group.objects.filter(name__in=ROLES_WITH_MEDIA):
        group.permissions.add(*permissions)


def revoke_media(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="blog", codename__in=IMAGE_PERMISSIONS)
    for group in Group.objects.filter(name__in=ROLES_WITH_MEDIA):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0011_old_slugs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Image",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "file",
                    models.FileField(
                        help_text="A JPEG, PNG, GIF or WebP picture.",
                        max_length=255,
                        upload_to=blog.models.media.image_upload_to,
                        validators=[blog.validators.validate_image_file],
                        verbose_name="file",
                    ),
                ),
                (
                    "alt",
                    models.CharField(
                        help_text="Describe the image for people who cannot see it.",
                        max_length=300,
                        verbose_name="alternative text",
                    ),
                ),
                ("title", models.CharField(blank=True, max_length=200, verbose_name="title")),
                ("caption", models.TextField(blank=True, verbose_name="caption")),
                ("width", models.PositiveIntegerField(default=0, editable=False, verbose_name="width")),
                ("height", models.PositiveIntegerField(default=0, editable=False, verbose_name="height")),
                ("format", models.CharField(blank=True, editable=False, max_length=10, verbose_name="format")),
                ("filesize", models.PositiveIntegerField(default=0, editable=False, verbose_name="size in bytes")),
                (
                    "renditions",
                    models.JSONField(blank=True, default=list, editable=False, verbose_name="renditions"),
                ),
                (
                    "social_card",
                    models.CharField(blank=True, editable=False, max_length=255, verbose_name="social card"),
                ),
                (
                    "uploaded_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="uploaded"),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="images",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={"verbose_name": "image", "verbose_name_plural": "images", "ordering": ["-uploaded_at", "-pk"]},
        ),
        migrations.RenameField(model_name="post", old_name="featured_image", new_name="legacy_featured_image"),
        migrations.AddField(
            model_name="post",
            name="featured_image",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown above the post, beside it in lists, and in link previews.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="featured_in",
                to="blog.image",
                verbose_name="featured image",
            ),
        ),
        migrations.RunPython(featured_images_to_library, library_to_featured_images),
        migrations.RemoveField(model_name="post", name="legacy_featured_image"),
        migrations.RemoveField(model_name="post", name="featured_image_alt"),
        migrations.RemoveField(model_name="post", name="featured_image_height"),
        migrations.RemoveField(model_name="post", name="featured_image_social"),
        migrations.RemoveField(model_name="post", name="featured_image_width"),
        migrations.RunPython(grant_media, revoke_media),
    ]
