"""Who may do what with posts and media: the one place that answers it (the admin asks here).

Model permissions say what kind of thing a user may do; two custom ones add the
editorial rules: ``blog.edit_others_posts`` (editors) lifts the own-posts-only
limit, ``blog.publish_post`` (authors, editors) allows publishing, scheduling and
private posts. Without it a user works on drafts and submits them for review.
"""

from blog.models import Image, Post

# What a user without publish_post may set, and the only posts they may still edit.
UNPUBLISHED_STATUSES = (Post.Status.DRAFT, Post.Status.PENDING)


def can_publish_posts(user):
    """Authors, editors and administrators publish, schedule and make posts private."""
    return user.has_perm("blog.publish_post")


def can_edit_others_posts(user):
    """Editors and administrators work on every post, and choose a post's author."""
    return user.has_perm("blog.edit_others_posts")


def posts_for(user, queryset=None):
    """The posts ``user`` may see in the admin: every post, or only their own."""
    queryset = Post.objects.all() if queryset is None else queryset
    if can_edit_others_posts(user):
        return queryset
    return queryset.filter(author=user.pk)


def can_view_post(user, post):
    """Is ``post`` within reach of ``user`` (their own, or they edit others' posts)?"""
    return post.author_id == user.pk or can_edit_others_posts(user)


def can_change_post(user, post):
    """May ``user`` edit ``post``? Without publish_post only while it is a draft or pending review."""
    return (
        user.has_perm("blog.change_post")
        and can_view_post(user, post)
        and (can_publish_posts(user) or post.status in UNPUBLISHED_STATUSES)
    )


def can_delete_post(user, post):
    """May ``user`` delete ``post``? The same reach as editing, with the delete permission."""
    return (
        user.has_perm("blog.delete_post")
        and can_view_post(user, post)
        and (can_publish_posts(user) or post.status in UNPUBLISHED_STATUSES)
    )


def can_preview_post(user, post=None):
    """May ``user`` preview ``post`` (None: a new one) or send its preview link? What they may write.

    A preview never saves, so it never publishes: a contributor previews their drafts only.
    """
    if post is None or post.pk is None:
        return user.has_perm("blog.add_post")
    return can_change_post(user, post)


# Media: editors work on every image; authors on the images they uploaded; contributors none.


def images_for(user, queryset=None):
    """The images ``user`` may see in the media library: every one, or only their own uploads."""
    queryset = Image.objects.all() if queryset is None else queryset
    if can_edit_others_posts(user):
        return queryset
    return queryset.filter(uploaded_by=user.pk)


def can_upload_images(user):
    """Authors, editors and administrators upload to the media library (contributors do not)."""
    return user.has_perm("blog.add_image")


def can_change_image(user, image):
    """May ``user`` edit ``image``'s alt text, caption or file? Their own upload, or they are an editor."""
    return user.has_perm("blog.change_image") and (image.uploaded_by_id == user.pk or can_edit_others_posts(user))


def can_delete_image(user, image):
    """May ``user`` delete ``image``? The same reach as editing, with the delete permission."""
    return user.has_perm("blog.delete_image") and (image.uploaded_by_id == user.pk or can_edit_others_posts(user))
