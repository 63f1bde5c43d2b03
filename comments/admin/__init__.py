"""The comments admin; Django's autodiscovery imports this package, which registers each part.

comment.py       the moderation queue, with its status filter (filters.py) and bulk actions (actions.py)
discussion.py    Settings › Discussion, one row
subscription.py  who asked for follow-up emails
posts.py         the posts list with a comments column
"""

from comments.admin import comment, discussion, posts, subscription  # noqa: F401
