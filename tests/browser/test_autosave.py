"""The change form in Chromium: typing is autosaved, the autosave is offered on return, and leaving asks first."""

import time

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from blog import services
from blog.admin.posts import PostAdmin
from blog.models import Autosave, Post
from tests.browser.admin import log_in
from tests.factories import CategoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE = "There is an autosave of this post that is more recent than the version below."


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_typing_is_autosaved_offered_on_return_and_leaving_asks_first(live_server, page, monkeypatch):
    monkeypatch.setattr(PostAdmin, "autosave_seconds", 1)
    writer = UserFactory(username="writer", is_staff=True)
    # The Author role's post permissions (a transactional test may run after the groups were flushed).
    writer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="blog", codename__in=["add_post", "change_post", "view_post", "publish_post"]
        )
    )
    post = services.post_create(
        author=writer, title="Saved title", body="<p>Saved body.</p>", categories=[CategoryFactory()]
    )
    change_url = f"{live_server.url}/admin/blog/post/{post.pk}/change/"
    log_in(page, live_server, "writer")

    page.goto(change_url)
    expect(page.locator("#autosave-status")).to_have_attribute("data-autosave-interval", "1")
    page.click("#id_title")
    page.keyboard.press("End")
    page.keyboard.type(" and more")
    expect(page.locator("#autosave-status")).to_contain_text("Draft autosaved at", timeout=5_000)
    autosave = wait_for(lambda: Autosave.objects.filter(user=writer, post=post).first())
    assert autosave.title == "Saved title and more"
    assert Post.objects.get(pk=post.pk).title == "Saved title"

    # Leaving with unsaved changes asks first: stay the first time, leave the second.
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept() if len(dialogs) > 1 else dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("link", name="Revisions (1)").click()
    wait_for(lambda: dialogs)
    assert dialogs == ["beforeunload"]
    assert page.url == change_url
    page.goto(change_url)
    assert dialogs == ["beforeunload", "beforeunload"]

    # Back on the form: the autosave is offered, and restoring it fills the form.
    expect(page.locator(".autosave-notice")).to_contain_text(NOTICE)
    page.get_by_role("link", name="Restore the autosave").click()
    expect(page.locator("#id_title")).to_have_value("Saved title and more")

    # Saving is not "leaving with unsaved changes": no dialog, and the autosave is gone.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert len(dialogs) == 2
    assert Post.objects.get(pk=post.pk).title == "Saved title and more"
    assert not Autosave.objects.exists()


def test_an_unchanged_form_is_left_without_a_question(live_server, page):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    log_in(page, live_server, "boss")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.goto(f"{live_server.url}/admin/blog/post/add/")
    page.click("#id_title")  # focus, no change
    page.get_by_role("link", name="Home").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert dialogs == []
