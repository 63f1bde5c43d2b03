"""The post form's data as the admin posts it, for tests of the admin's rules."""

from tests.factories import CategoryFactory


def post_form(category=None, **overrides):
    data = {
        "title": "Fresh words",
        "slug": "fresh-words",
        "body": "<p>Hello</p>",
        "excerpt": "",
        "status": "draft",
        "categories": [(category or CategoryFactory()).pk],
        "comments_open": "on",
    }
    data.update(overrides)
    return data


def edit_form(post, **overrides):
    """The change form as the admin would post it back for ``post``."""
    data = post_form(
        title=post.title,
        slug=post.slug,
        body=post.body,
        status=post.status,
        categories=[c.pk for c in post.categories.all()],
        tag_names=", ".join(tag.name for tag in post.tags.all()),
    )
    data.update(overrides)
    return data
