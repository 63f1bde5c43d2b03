"""The comments' part of the demo site: the readers' comments on the article and the author's replies."""

import datetime
import re

from blog.demo import PUBLISHED_AT, SEED_FILE, SLUG
from blog.models import Post
from comments import services

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


def seed(command):
    """Add the comments to the demo article once (after blog's seed created it); report on the command's output."""
    post = Post.objects.filter(slug=SLUG).first()
    if post is None:
        return
    if post.comments.exists():
        command.stdout.write("Demo comments already present; nothing to do.")
        return
    create_comments(post, SEED_FILE.read_text(encoding="utf-8"))
    command.stdout.write(command.style.SUCCESS(f"Added {post.comments.count()} comments."))


def create_comments(post, text):
    """Each reader's comment (approved by the author, as a moderator would), then the author's reply."""
    when = PUBLISHED_AT
    for reader, body, reply in zip(READERS, parse_comments(text), AUTHOR_REPLIES, strict=True):
        when += datetime.timedelta(days=1, hours=3)
        comment = services.comment_create(post=post, body=body, created_at=when, **reader)
        services.comment_approve(comment=comment)
        services.comment_create(
            post=post,
            body=reply,
            parent_id=comment.pk,
            user=post.author,
            created_at=when + datetime.timedelta(hours=5),
        )
