"""The editorial roles as groups: Editor, Author, Contributor, Moderator.

The permission lists are frozen here on purpose: a later change to the roles is a
new migration, not an edit of this one. The admin enforces ownership and
publishing rules on top (blog/permissions.py, comments/permissions.py).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

POST = ["blog.add_post", "blog.change_post", "blog.delete_post", "blog.view_post"]
TAXONOMY = [
    f"blog.{action}_{model}" for model in ("category", "tag") for action in ("add", "change", "delete", "view")
]
COMMENTS = ["comments.view_comment", "comments.change_comment", "comments.delete_comment", "comments.moderate_comment"]

ROLES = {
    "Editor": [
        *POST,
        *TAXONOMY,
        "blog.publish_post",
        "blog.edit_others_posts",
        *COMMENTS,
        "comments.moderate_all_comments",
    ],
    # Own posts only (no edit_others_posts); comments on own posts only (no moderate_all_comments).
    "Author": [*POST, "blog.publish_post", "blog.view_category", "blog.view_tag", "blog.add_tag", *COMMENTS],
    # Own drafts, submitted for review: no publish_post, no delete.
    "Contributor": ["blog.add_post", "blog.change_post", "blog.view_post", "blog.view_category", "blog.view_tag"],
    "Moderator": [*COMMENTS, "comments.moderate_all_comments"],
}


def create_roles(apps, schema_editor):
    db = schema_editor.connection.alias
    # On a fresh database permissions only appear after migrate (post_migrate): make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=db)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        wanted = Q()
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.using(db).filter(wanted))
        if len(permissions) != len(perms):
            found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
            raise RuntimeError(f"Role {name}: missing permissions {sorted(set(perms) - found)}")
        group, _ = Group.objects.using(db).get_or_create(name=name)
        group.permissions.set(permissions)


def delete_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("blog", "0002_post_permissions"),
        ("comments", "0004_moderation_fields"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
