from django.db import migrations

PAGE_PERMISSIONS = ["add_page", "change_page", "delete_page", "view_page"]
PROFILE_PERMISSIONS = ["add_authorprofile", "change_authorprofile", "delete_authorprofile", "view_authorprofile"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="blog", codename__in=PAGE_PERMISSIONS + PROFILE_PERMISSIONS
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="blog", codename__in=PAGE_PERMISSIONS + PROFILE_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    """Editors manage static pages and author profiles too (the models came after the roles)."""

    dependencies = [("blog", "0006_search_index")]

    operations = [migrations.RunPython(grant, revoke)]
