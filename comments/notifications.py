"""Emails about comments, sent through Django's Tasks framework after the transaction commits.

Entry points called by comments.services (inside transaction.on_commit):
  on_comment_created(comment)   a comment was stored (held → moderators; approved → post author, followers)
  on_comment_approved(comment)  a held comment became public (post author, followers)
"""


def on_comment_created(comment):
    """Queue the emails a new comment causes. Never raises: a failed email must not lose the comment."""


def on_comment_approved(comment):
    """Queue the emails a newly public comment causes. Never raises."""
