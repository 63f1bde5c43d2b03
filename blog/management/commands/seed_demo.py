"""Load the demo article (and its author and taxonomy) through the services; idempotent."""

import datetime
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.html import escape

from blog import services
from blog.models import Page, Post
from comments import services as comment_services

SEED_FILE = Path(__file__).resolve().parents[2] / "demo" / "dos-and-donts-when-your-partner-withdraws.txt"
SLUG = "dos-and-donts-when-your-partner-withdraws"
PUBLISHED_AT = datetime.datetime(2017, 3, 6, 9, 0, tzinfo=datetime.UTC)
AUTHOR = {"username": "blogauthor", "first_name": "Blog", "last_name": "Author", "email": "author@example.com"}
# A section title is a short line such as "Don’t smother." or "Do offer support."
HEADING = re.compile(r"^(Don’t|Do) [^.]{1,60}\.$")
# The article ends where the page's share strip and comments began.
END_OF_ARTICLE = "Thank you for sharing!"


ABOUT_PAGE = (
    "<p>Steady Ground is a small journal about love, distance and the patient work of finding each other "
    "again. We write for people in the middle of it: not to lecture, but to keep you company.</p>"
    "<p>This site runs on a calm, self-hosted blogging platform: no trackers, no advertising, and nothing "
    "loaded from anyone else’s servers. Your comments stay here, and your email address is never shown.</p>"
)
# The seed keeps the readers' words but not their names; these are neutral stand-ins.
READERS = [
    {"author_name": "Jenna", "author_email": "jenna@example.com"},
    {"author_name": "Marcus", "author_email": "marcus@example.com"},
]
AUTHOR_REPLIES = [
    "Thank you, Jenna! Sharing it as an invitation rather than a lecture makes all the difference.",
    "Welcome back, Marcus. I’m glad it found you at the right moment, and I hope the winter passes gently.",
]
COMMENT_LINE = re.compile(r"^\s*\d+\.\s+(.+)$")


def parse_comments(text):
    """The readers' comments listed after "N thoughts on …" in the seed text."""
    _before, _marker, after = text.partition(" thoughts on ")
    return [match.group(1).strip() for line in after.splitlines() if (match := COMMENT_LINE.match(line))]


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
    help = (
        "Create the demo article with its author, category, tags and four approved comments. "
        "Running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        text = SEED_FILE.read_text(encoding="utf-8")
        post = Post.objects.filter(slug=SLUG).first()
        if post is None:
            post = self.create_post(text)
            self.stdout.write(self.style.SUCCESS(f"Created “{post.title}” at {post.get_absolute_url()}"))
        if not Page.objects.filter(path="about").exists():
            services.page_create(title="About", slug="about", body=ABOUT_PAGE, status=Page.Status.PUBLISHED)
            self.stdout.write(self.style.SUCCESS("Created the About page at /about/"))
        if post.comments.exists():
            self.stdout.write("Demo comments already present; nothing to do.")
            return
        self.create_comments(post, text)
        self.stdout.write(self.style.SUCCESS(f"Added {post.comments.count()} comments."))

    def create_post(self, text):
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
        title, body = parse_article(text)
        return services.post_create(
            author=author,
            title=title,
            slug=SLUG,
            body=body,
            categories=[category],
            tags=tags,
            status=Post.Status.PUBLISHED,
            published_at=PUBLISHED_AT,
        )

    def create_comments(self, post, text):
        """Each reader's comment (approved by the author, as a moderator would), then the author's reply."""
        when = PUBLISHED_AT
        for reader, body, reply in zip(READERS, parse_comments(text), AUTHOR_REPLIES, strict=True):
            when += datetime.timedelta(days=1, hours=3)
            comment = comment_services.comment_create(post=post, body=body, created_at=when, **reader)
            comment_services.comment_approve(comment=comment)
            comment_services.comment_create(
                post=post,
                body=reply,
                parent_id=comment.pk,
                user=post.author,
                created_at=when + datetime.timedelta(hours=5),
            )
