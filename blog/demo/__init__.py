"""The blog's part of the demo site: the article with its author and taxonomy, and the About page.

``manage.py seed_demo`` calls ``seed()`` of each installed app's ``demo`` module,
in INSTALLED_APPS order; everything goes through the services, so the real rules
apply, and a second run changes nothing.
"""

import datetime
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils.html import escape

from blog import services
from blog.models import Page, Post

SEED_FILE = Path(__file__).resolve().parent / "dos-and-donts-when-your-partner-withdraws.txt"
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


def seed(command):
    """Create the article and the About page unless they exist; report on the command's output."""
    post = Post.objects.filter(slug=SLUG).first()
    if post is None:
        post = create_post(SEED_FILE.read_text(encoding="utf-8"))
        command.stdout.write(command.style.SUCCESS(f"Created “{post.title}” at {post.get_absolute_url()}"))
    if not Page.objects.filter(path="about").exists():
        services.page_create(title="About", slug="about", body=ABOUT_PAGE, status=Page.Status.PUBLISHED)
        command.stdout.write(command.style.SUCCESS("Created the About page at /about/"))


def create_post(text):
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
