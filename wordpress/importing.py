"""The import's writers, one per kind of record: each goes through the site's own services.

Called by ``wordpress.importer.ImportRun`` inside one transaction per record.
"""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

from blog import services
from blog.models import AuthorProfile, Category, Page, Post, Tag
from blog.models.writing import default_category
from comments.importing import comment_import
from comments.models import Comment
from wordpress.content import convert_comment_content, convert_post_content
from wordpress.importer import slug_from, text, unique_slug, when

POST_STATUSES = {
    "publish": Post.Status.PUBLISHED,
    "future": Post.Status.PUBLISHED,  # scheduled: published, with its date still to come
    "draft": Post.Status.DRAFT,
    "pending": Post.Status.PENDING,
    "private": Post.Status.PRIVATE,
}
PAGE_STATUSES = {"publish": Page.Status.PUBLISHED, "draft": Page.Status.DRAFT, "pending": Page.Status.DRAFT}
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
COMMENT_KINDS = {"pingback": Comment.Kind.PINGBACK, "trackback": Comment.Kind.TRACKBACK}
USERNAME = re.compile(r"[^\w.@+-]")


POST_FIELDS = ["title", "slug", "body", "excerpt", "status", "published_at", "sticky", "comments_open", "wordpress_id"]
PAGE_FIELDS = ["title", "slug", "body", "status", "menu_order", "wordpress_id"]


def snapshot(obj, fields, *, stored=False):
    """The values that matter, to tell an update from a re-import that changes nothing (body as it will be stored)."""
    values = [getattr(obj, name) for name in fields]
    if "body" in fields and not stored:
        from blog.sanitize import sanitize_post_html

        values[fields.index("body")] = sanitize_post_html(obj.body or "")
    return values


def current_terms(post):
    return set(post.categories.values_list("pk", flat=True)), set(post.tags.values_list("pk", flat=True))


# Authors


def user_create(login, email, display):
    """A writer who cannot log in until an administrator gives them a password."""
    User = get_user_model()
    username = USERNAME.sub("", login)[:150] or "wordpress"
    candidate, number = username, 2
    while User.objects.filter(username=candidate).exists():
        candidate, number = f"{username}{number}", number + 1
    user = User(username=candidate, email=email[:254])
    user.set_unusable_password()
    user.save()
    if display:
        AuthorProfile.objects.update_or_create(user=user, defaults={"display_name": display[:100]})
    return user


def take_author(run, author):
    User = get_user_model()
    known = run.recall("author", f"login:{author.login}")
    wanted = run.author_map.get(author.login)
    user = None
    if wanted:
        user = User.objects.filter(username=wanted).first()
        if user is None:
            raise ValidationError(f"--author-map names {wanted!r}, who is not a user here.")
    elif known and known.object_id:
        user = User.objects.filter(pk=known.object_id).first()
    if user is None:
        user = User.objects.filter(username=author.login).first()
    if user is None and author.email:
        user = User.objects.filter(email__iexact=author.email).first()
    created = user is None
    if created:
        user = user_create(author.login, author.email, text(author.display_name))
    run.users[author.login] = user
    run.remember("author", f"login:{author.login}", user)
    run.report.count("author", "created" if created else ("updated" if known else "skipped"))


# Terms


def term_key(term):
    return str(term.term_id) if term.term_id else f"slug:{term.slug}"


def term_category(run, slug, name):
    category = Category(name=text(name)[:200] or slug, slug=unique_slug(Category, slug_from(slug, name)))
    category.full_clean()
    category.save()
    return category


def term_tag(run, slug, name):
    return services.tag_get_or_create(name=text(name)[:100] or slug, slug=slug_from(slug, name)[:100])


def take_category(run, term):
    known = run.recall("category", term_key(term))
    category = Category.objects.filter(pk=known.object_id).first() if known else None
    slug = slug_from(term.slug, term.name)
    if category is None:
        category = Category.objects.filter(slug=slug).first()
    created = category is None
    if created:
        category = term_category(run, slug, term.name)
    category.name = text(term.name)[:200] or category.name
    category.description = text(term.description)
    if term.term_id and not Category.objects.filter(wordpress_id=term.term_id).exclude(pk=category.pk).exists():
        category.wordpress_id = term.term_id
    category.save()
    run.categories[term.slug] = category
    if term.parent_slug:
        run.category_parents[term.slug] = term.parent_slug
    run.remember("category", term_key(term), category)
    run.report.count("category", "created" if created else "updated")


def take_tag(run, term):
    known = run.recall("tag", term_key(term))
    tag = Tag.objects.filter(pk=known.object_id).first() if known else None
    created = tag is None and not Tag.objects.filter(slug=slug_from(term.slug, term.name)).exists()
    tag = tag or run.tag_for(slug_from(term.slug, term.name)[:100], term.name)
    run.remember("tag", term_key(term), tag)
    run.report.count("tag", "created" if created else "updated")


# Posts and pages


def take_item(run, item):
    if item.post_type == "post":
        take_post(run, item)
    elif item.post_type == "page":
        take_page(run, item)
    elif item.post_type == "attachment":
        # Recorded with their address (the old links in bodies keep pointing there); no files are copied.
        known = run.recall("attachment", item.post_id)
        run.remember("attachment", item.post_id, None, guid=item.guid, old_url=item.attachment_url or item.link)
        run.report.count("attachment", "updated" if known else "created")
    # Menus, reusable blocks, custom types: nothing of ours to hold them.


def post_status(run, item):
    if item.status not in POST_STATUSES:
        raise ValidationError(f"its status is “{item.status}” (trash and revisions are not imported).")
    if item.post_password:
        run.report.problem(f"Post “{text(item.title)}” was password-protected: imported as private.")
        return Post.Status.PRIVATE
    return POST_STATUSES[item.status]


def take_post(run, item):
    status = post_status(run, item)
    known = run.recall("post", item.post_id)
    post = Post.objects.filter(pk=known.object_id).first() if known else None
    created = post is None
    post = post or Post(author=run.user_for(item.creator))
    before = snapshot(post, POST_FIELDS, stored=True)
    post.title = text(item.title)[:300] or f"Post {item.post_id}"
    post.slug = unique_slug(Post, slug_from(item.post_name, post.title), exclude_pk=post.pk)
    post.body = convert_post_content(item.content)
    post.excerpt = text(strip_tags(item.excerpt))
    post.status = status
    post.published_at = when(item.post_date_gmt, item.post_date) if status != Post.Status.DRAFT else None
    if status != Post.Status.DRAFT and post.published_at is None:
        raise ValidationError("it has no date.")
    post.sticky = item.is_sticky
    post.comments_open = item.comment_status == "open"
    if not Post.objects.filter(wordpress_id=item.post_id).exclude(pk=post.pk).exists():
        post.wordpress_id = item.post_id  # the first site imported keeps its /?p= links
    categories = [run.category_for(term.slug, term.name) for term in item.terms if term.domain == "category"]
    tags = [run.tag_for(slug_from(t.slug, t.name)[:100], t.name) for t in item.terms if t.domain == "post_tag"]
    categories = categories or [default_category()]
    terms = ({c.pk for c in categories}, {t.pk for t in tags})
    if not created and snapshot(post, POST_FIELDS) == before and terms == current_terms(post):
        run.report.count("post", "unchanged")
    else:
        post.full_clean(
            exclude=["categories", "tags"] + ([] if post.body else ["body"])
        )  # WordPress allows empty posts
        services.post_save(post=post)
        post.categories.set(categories)
        post.tags.set(tags)
        run.report.count("post", "created" if created else "updated")
    run.remember("post", item.post_id, post, guid=item.guid, old_url=item.link)
    take_comments(run, post, item)


def take_page(run, item):
    if item.status not in PAGE_STATUSES:
        raise ValidationError(f"its status is “{item.status}”.")
    known = run.recall("page", item.post_id)
    page = Page.objects.filter(pk=known.object_id).first() if known else None
    created = page is None
    page = page or Page()
    before = snapshot(page, PAGE_FIELDS, stored=True)
    page.title = text(item.title)[:300] or f"Page {item.post_id}"
    # Parents are linked at the end (a child may come first): until then every page is at the top.
    if created:
        page.slug = unique_slug(Page, slug_from(item.post_name, page.title), parent=None)
    page.body = convert_post_content(item.content)
    page.status = Page.Status.DRAFT if item.post_password else PAGE_STATUSES[item.status]
    page.menu_order = item.menu_order
    page.comments_open = False
    if not Page.objects.filter(wordpress_id=item.post_id).exclude(pk=page.pk).exists():
        page.wordpress_id = item.post_id
    changed = created or snapshot(page, PAGE_FIELDS) != before
    if changed:
        page.full_clean(exclude=["parent"] + ([] if page.body else ["body"]))
        services.page_save(page=page)
    run.pages[item.post_id] = (page, slug_from(item.post_name, page.title))
    if item.post_parent:
        run.page_parents[item.post_id] = item.post_parent
    run.remember("page", item.post_id, page, guid=item.guid, old_url=item.link)
    run.report.count("page", "created" if created else ("updated" if changed else "unchanged"))
    if item.comments:
        run.report.problem(
            f"Page “{page.title}”: its {len(item.comments)} comment(s) were not imported (pages take none here)."
        )
        for _comment in item.comments:
            run.report.count("comment", "skipped")


def link_pages(run):
    """Each page under its parent (children can come before parents in a file), at its own slug if free."""
    for wordpress_id, parent_id in run.page_parents.items():
        page, wanted = run.pages[wordpress_id]
        parent = run.pages.get(parent_id, (None, None))[0]
        if parent is None or page.parent_id == parent.pk:
            continue
        page.parent = parent
        page.slug = unique_slug(Page, wanted, exclude_pk=page.pk, parent=parent)
        services.page_save(page=page)


# Comments


def thread_order(comments):
    """Parents before their replies, whatever the file's order; a reply to a missing comment starts a thread."""
    by_id = {comment.wordpress_id: comment for comment in comments}
    done, ordered = set(), []

    def visit(comment, seen=()):
        if comment.wordpress_id in done:
            return
        parent = by_id.get(comment.parent)
        if parent is not None and parent.wordpress_id not in seen:
            visit(parent, (*seen, comment.wordpress_id))
        done.add(comment.wordpress_id)
        ordered.append(comment)

    for comment in comments:
        visit(comment)
    return ordered


def take_comments(run, post, item):
    made = {}
    for wxr in thread_order(item.comments):
        status = COMMENT_STATUSES.get(wxr.approved)
        if status is None:
            run.report.problem(f"A comment on “{post.title}” has the status “{wxr.approved}”: not imported.")
            run.report.count("comment", "skipped")
            continue
        known = run.recall("comment", wxr.wordpress_id)
        existing = Comment.objects.filter(pk=known.object_id).first() if known else None
        fields = {
            "body": convert_comment_content(wxr.content),
            "author_name": text(wxr.author),
            "author_email": wxr.author_email,
            "author_url": wxr.author_url,
            "status": status,
            "kind": COMMENT_KINDS.get(wxr.type, Comment.Kind.COMMENT),
            "created_at": when(wxr.date_gmt, wxr.date) or post.published_at,
            "ip_address": valid_ip(wxr.author_ip),
        }
        if existing is not None and existing.status == status and existing.kind == fields["kind"]:
            made[wxr.wordpress_id] = existing  # already here: a moderator's later edits are kept
            run.report.count("comment", "unchanged")
            continue
        parent = made.get(wxr.parent) if existing is None else existing.parent
        comment = comment_import(post=post, parent=parent, comment=existing, **fields)
        made[wxr.wordpress_id] = comment
        run.remember("comment", wxr.wordpress_id, comment)
        run.report.count("comment", "updated" if existing else "created")


def valid_ip(value):
    from django.core.validators import validate_ipv46_address

    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    return value
