"""Post.summary: what lists show, refreshed on every save; excerpts that were only derived are freed.

Until now an empty excerpt was filled with the start of the body on the first
save and then kept, so later edits of the body never reached the summary. An
excerpt equal to what that derivation gave is taken as derived and emptied;
one written by hand stays as it is.
"""

import html as html_lib
import re

import nh3
from django.db import migrations, models
from django.utils.text import Truncator


def old_derived_excerpt(html):
    """The excerpt Post.save() derived before this migration (blocks glued together), to recognise it."""
    text = re.sub(r"\s+", " ", html_lib.unescape(nh3.clean(html or "", tags=set()))).strip()
    return Truncator(text).words(55, truncate="…")


def fill_summaries(apps, schema_editor):
    from blog.sanitize import excerpt_from_html

    Post = apps.get_model("blog", "Post")
    for post in Post.objects.only("pk", "body", "excerpt").iterator():
        if post.excerpt == old_derived_excerpt(post.body):
            post.excerpt = ""
        post.summary = post.excerpt if post.excerpt.strip() else excerpt_from_html(post.body)
        post.save(update_fields=["excerpt", "summary"])


def restore_excerpts(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    Post.objects.filter(excerpt="").update(excerpt=models.F("summary"))


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0009_featured_image_social"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="summary",
            field=models.TextField(blank=True, editable=False, verbose_name="summary"),
        ),
        migrations.RunPython(fill_summaries, restore_excerpts),
    ]
