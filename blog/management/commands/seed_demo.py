"""Load the demo article (and its author and taxonomy) through the services; idempotent."""

import datetime
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.html import escape

from blog import services
from blog.models import Post

SEED_FILE = Path(__file__).resolve().parents[2] / "demo" / "dos-and-donts-when-your-partner-withdraws.txt"
SLUG = "dos-and-donts-when-your-partner-withdraws"
PUBLISHED_AT = datetime.datetime(2017, 3, 6, 9, 0, tzinfo=datetime.UTC)
AUTHOR = {"username": "blogauthor", "first_name": "Blog", "last_name": "Author", "email": "author@example.com"}
# A section title is a short line such as "Don’t smother." or "Do offer support."
HEADING = re.compile(r"^(Don’t|Do) [^.]{1,60}\.$")
# The article ends where the page's share strip and comments began.
END_OF_ARTICLE = "Thank you for sharing!"


def parse_article(text):
    """Split the seed text into (title, body HTML): headings become <h2>, blocks <p>."""
    lines = text.splitlines()
    title = lines[0].strip()
    body_lines = []
    for line in lines[1:]:
        if line.strip() == END_OF_ARTICLE:
            break
        body_lines.append(line)
    blocks = [block.strip() for block in re.split(r"\n\s*\n", "\n".join(body_lines)) if block.strip()]
    html = []
    for block in blocks:
        text = " ".join(block.split("\n"))
        if HEADING.match(text) and len(text.split()) <= 8:
            html.append(f"<h2>{escape(text)}</h2>")
        else:
            html.append(f"<p>{escape(text)}</p>")
    return title, "\n".join(html)


class Command(BaseCommand):
    help = "Create the demo article with its author, category and tags. Running it again changes nothing."

    @transaction.atomic
    def handle(self, *args, **options):
        if Post.objects.filter(slug=SLUG).exists():
            self.stdout.write("Demo content already present; nothing to do.")
            return
        User = get_user_model()
        author = User.objects.filter(username=AUTHOR["username"]).first()
        if author is None:
            author = User(**AUTHOR)
            author.set_unusable_password()
            author.save()
        category = services.category_get_or_create(
            name="Relationships", description="Love, distance, and the work of staying close."
        )
        tags = [services.tag_get_or_create(name=name) for name in ("Communication", "Boundaries", "Self-care")]
        title, body = parse_article(SEED_FILE.read_text(encoding="utf-8"))
        post = services.post_create(
            author=author,
            title=title,
            slug=SLUG,
            body=body,
            categories=[category],
            tags=tags,
            status=Post.Status.PUBLISHED,
            published_at=PUBLISHED_AT,
        )
        self.stdout.write(self.style.SUCCESS(f"Created “{post.title}” at {post.get_absolute_url()}"))
