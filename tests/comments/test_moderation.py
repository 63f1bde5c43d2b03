"""Every branch of the Discussion rules, on unsaved comments: no database."""

import dataclasses

import pytest

from comments.models import Comment, DiscussionSettings
from comments.moderation import (
    ACTIONS,
    Decision,
    actions_listed_in,
    comment_fields,
    decide,
    hold_reason,
    match_key,
)
from comments.sanitize import sanitize_comment_html

APPROVED, PENDING, TRASH = Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.TRASH
FIRST_COMMENT = "First comment from this author: waiting for a first approval."
ACCOUNT_EMAIL = "Uses the email address of a registered account: please check it is really them."


def make_comment(body="A calm and thoughtful reply.", **fields):
    values = {
        "author_name": "Riley Reader",
        "author_email": "riley@example.com",
        "author_url": "",
        "ip_address": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    }
    return Comment(body=sanitize_comment_html(body), **values | fields)


def settings(**fields):
    """WordPress's defaults (manual approval off, known authors, 2 links), with overrides."""
    return DiscussionSettings(**fields)


def known(comment, discussion):
    """Decision for a logged-out author who already has an approved comment."""
    return decide(comment, discussion, trusted=False, has_approved_comment=True, uses_account_email=False)


def stranger(comment, discussion):
    """Decision for a logged-out author never approved before."""
    return decide(comment, discussion, trusted=False, has_approved_comment=False, uses_account_email=False)


def impostor(comment, discussion, *, has_approved_comment=True):
    """Decision for a logged-out commenter who typed the email address of an account."""
    return decide(
        comment, discussion, trusted=False, has_approved_comment=has_approved_comment, uses_account_email=True
    )


# The happy paths


def test_known_author_with_a_plain_comment_is_approved_without_reason():
    assert known(make_comment(), settings()) == Decision(APPROVED, "")


def test_first_comment_from_a_new_author_is_held_by_default():
    assert stranger(make_comment(), settings()) == Decision(PENDING, FIRST_COMMENT)


def test_new_author_is_approved_when_previous_approval_is_not_required():
    assert stranger(make_comment(), settings(comment_previously_approved=False)) == Decision(APPROVED, "")


@pytest.mark.parametrize("missing", ["author_name", "author_email"])
def test_author_without_name_or_email_cannot_be_recognised(missing):
    comment = make_comment(**{missing: ""})
    assert known(comment, settings()) == Decision(PENDING, FIRST_COMMENT)


# Each rule on its own


def test_manual_approval_holds_a_known_author():
    assert known(make_comment(), settings(comment_moderation=True)) == Decision(PENDING, "Manual approval is on.")


def test_exactly_two_links_are_held_at_the_default_limit():
    comment = make_comment('<a href="http://a.example/">a</a> and <a href="http://b.example/">b</a>')
    assert known(comment, settings()) == Decision(PENDING, "Contains 2 links (limit 2).")


def test_one_typed_link_and_one_bare_url_are_held():
    comment = make_comment('<a href="http://a.example/">a</a> and https://b.example/page')
    assert known(comment, settings()).status == PENDING


def test_one_bare_url_is_approved():
    assert known(make_comment("See https://b.example/page"), settings()) == Decision(APPROVED, "")


def test_more_links_than_the_limit_report_the_count():
    comment = make_comment("http://a.example/ http://b.example/ www.c.example")
    assert known(comment, settings()) == Decision(PENDING, "Contains 3 links (limit 2).")


def test_a_limit_of_one_link_holds_a_single_link_in_the_singular():
    comment = make_comment("See https://b.example/page")
    assert known(comment, settings(comment_max_links=1)) == Decision(PENDING, "Contains 1 link (limit 1).")


def test_a_limit_of_zero_turns_the_link_rule_off():
    comment = make_comment(" ".join(f"https://site{n}.example/" for n in range(20)))
    assert known(comment, settings(comment_max_links=0)) == Decision(APPROVED, "")


def test_links_without_a_safe_href_do_not_count():
    comment = make_comment('<a href="javascript:alert(1)">a</a> <a href="data:x">b</a>')
    assert known(comment, settings()) == Decision(APPROVED, "")


def test_moderation_key_in_the_text_holds_the_comment():
    comment = make_comment("Best casino bonus")
    assert known(comment, settings(moderation_keys="casino")) == Decision(PENDING, "Matched moderation key “casino”.")


def test_disallowed_key_sends_the_comment_to_the_trash():
    comment = make_comment("Cheap viagra here")
    assert known(comment, settings(disallowed_keys="viagra")) == Decision(TRASH, "Matched disallowed key “viagra”.")


@pytest.mark.parametrize(
    "fields",
    [
        {"author_name": "Casino King"},
        {"author_email": "win@casino.example"},
        {"author_url": "https://casino.example/"},
        {"ip_address": "198.51.100.23"},
        {"user_agent": "CasinoBot/1.0"},
        {"body": '<a href="https://best-casino.example/">my site</a>'},
        {"body": "https://best-casino.example/"},
    ],
)
@pytest.mark.parametrize(("keys_field", "status"), [("moderation_keys", PENDING), ("disallowed_keys", TRASH)])
def test_keys_are_looked_for_in_every_field(fields, keys_field, status):
    comment = make_comment(**fields)
    discussion = settings(**{keys_field: "casino\n198.51.100.23"})
    assert known(comment, discussion).status == status


def test_keys_match_inside_words_like_wordpress():
    comment = make_comment("Built with WordPress")
    assert known(comment, settings(moderation_keys="press")).reason == "Matched moderation key “press”."


def test_keys_ignore_case_both_ways():
    assert known(make_comment("BUY NOW"), settings(moderation_keys="buy now")).status == PENDING
    assert known(make_comment("buy now"), settings(moderation_keys="  BUY Now  ")).reason == (
        "Matched moderation key “BUY Now”."
    )


def test_keys_match_the_text_not_the_markup():
    comment = make_comment("Read <b>this</b> http://a.example/")
    # "nofollow", "rel" and "<b>" are in the stored HTML, not in what the reader wrote.
    discussion = settings(moderation_keys="nofollow\nugc\n<b>\nrel=")
    assert known(comment, discussion) == Decision(APPROVED, "")


def test_keys_match_entities_as_the_reader_typed_them():
    assert known(make_comment("AT&T deals"), settings(moderation_keys="at&t")).status == PENDING


def test_keys_do_not_join_words_of_two_paragraphs():
    comment = make_comment("free\n\nbet\nnow")
    assert known(comment, settings(moderation_keys="freebet\nbetnow")) == Decision(APPROVED, "")


def test_blank_and_space_only_key_lines_match_nothing():
    discussion = settings(moderation_keys="\n   \n\t\n", disallowed_keys="\r\n \r\n")
    assert known(make_comment(), discussion) == Decision(APPROVED, "")


def test_windows_line_endings_in_keys_are_handled():
    discussion = settings(disallowed_keys="spam\r\nviagra\r\n")
    assert known(make_comment("viagra"), discussion).reason == "Matched disallowed key “viagra”."


def test_long_keys_are_shortened_in_the_reason():
    key = "x" * 300
    decision = known(make_comment(key), settings(moderation_keys=key))
    assert decision.status == PENDING
    assert len(decision.reason) < 120


# Order when several rules apply (WordPress: disallowed, manual, links, keys, known author)


def test_disallowed_key_wins_over_every_hold():
    comment = make_comment("viagra casino http://a.example/ http://b.example/")
    discussion = settings(comment_moderation=True, moderation_keys="casino", disallowed_keys="viagra")
    assert stranger(comment, discussion) == Decision(TRASH, "Matched disallowed key “viagra”.")


def test_manual_approval_is_reported_before_links_and_keys():
    comment = make_comment("casino http://a.example/ http://b.example/")
    discussion = settings(comment_moderation=True, moderation_keys="casino")
    assert stranger(comment, discussion).reason == "Manual approval is on."


def test_links_are_reported_before_moderation_keys():
    comment = make_comment("casino http://a.example/ http://b.example/")
    assert stranger(comment, settings(moderation_keys="casino")).reason == "Contains 2 links (limit 2)."


def test_moderation_key_is_reported_before_a_first_comment():
    assert stranger(make_comment("casino"), settings(moderation_keys="casino")).reason == (
        "Matched moderation key “casino”."
    )


def test_first_matching_key_in_list_order_is_reported():
    comment = make_comment("poker and casino")
    assert known(comment, settings(moderation_keys="casino\npoker")).reason == "Matched moderation key “casino”."


# Trusted commenters (post author, moderators) bypass everything


def test_trusted_commenter_bypasses_every_rule():
    comment = make_comment("viagra casino http://a.example/ http://b.example/ http://c.example/")
    discussion = settings(
        comment_moderation=True, comment_max_links=1, moderation_keys="casino", disallowed_keys="viagra"
    )
    assert decide(comment, discussion, trusted=True, has_approved_comment=False, uses_account_email=False) == (
        Decision(APPROVED, "")
    )


# A visitor using an account's email address: anyone can type someone's name and email


def test_visitor_with_an_account_email_is_held_even_when_known():
    assert impostor(make_comment(), settings()) == Decision(PENDING, ACCOUNT_EMAIL)


def test_visitor_with_an_account_email_is_held_when_every_hold_rule_is_off():
    discussion = settings(comment_moderation=False, comment_previously_approved=False, comment_max_links=0)
    assert impostor(make_comment(), discussion) == Decision(PENDING, ACCOUNT_EMAIL)
    assert hold_reason(make_comment(), discussion, has_approved_comment=False, uses_account_email=True) == (
        ACCOUNT_EMAIL
    )


def test_account_email_is_reported_before_every_other_hold():
    comment = make_comment("casino http://a.example/ http://b.example/")
    discussion = settings(comment_moderation=True, moderation_keys="casino")
    assert impostor(comment, discussion, has_approved_comment=False) == Decision(PENDING, ACCOUNT_EMAIL)


def test_disallowed_key_still_trashes_a_visitor_with_an_account_email():
    comment = make_comment("Cheap viagra here")
    assert impostor(comment, settings(disallowed_keys="viagra")) == Decision(TRASH, "Matched disallowed key “viagra”.")


def test_trusted_commenter_is_not_held_by_the_account_email_rule():
    # The service sets the flag for logged-out commenters only; trust still comes first.
    assert decide(make_comment(), settings(), trusted=True, has_approved_comment=False, uses_account_email=True) == (
        Decision(APPROVED, "")
    )


def quick(comment, discussion, **flags):
    """Decision for a comment sent within seconds of the page loading."""
    who = {"trusted": False, "has_approved_comment": True, "uses_account_email": False} | flags
    return decide(comment, discussion, sent_quickly=True, **who)


SENT_QUICKLY = "Sent very quickly after the page loaded."


def test_quick_comment_from_a_known_author_is_held_and_says_why():
    assert quick(make_comment(), settings()) == Decision(PENDING, SENT_QUICKLY)


def test_quick_comment_is_held_when_every_hold_rule_is_off():
    discussion = settings(comment_moderation=False, comment_previously_approved=False, comment_max_links=0)
    assert quick(make_comment(), discussion, has_approved_comment=False) == Decision(PENDING, SENT_QUICKLY)


def test_quick_is_reported_after_the_account_email_and_before_the_other_holds():
    comment = make_comment("casino http://a.example/ http://b.example/")
    discussion = settings(comment_moderation=True, moderation_keys="casino")
    assert quick(comment, discussion) == Decision(PENDING, SENT_QUICKLY)
    assert quick(comment, discussion, uses_account_email=True) == Decision(PENDING, ACCOUNT_EMAIL)


def test_quick_comment_with_a_disallowed_key_still_goes_to_the_trash():
    assert quick(make_comment("Cheap viagra"), settings(disallowed_keys="viagra")).status == TRASH


def test_quick_comment_from_a_trusted_commenter_is_approved():
    assert quick(make_comment(), settings(), trusted=True) == Decision(APPROVED, "")


# The pieces


def test_decision_is_frozen_and_knows_whether_it_is_approved():
    decision = Decision(PENDING, "Manual approval is on.")
    assert not decision.is_approved
    assert Decision(APPROVED).is_approved
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.status = APPROVED


def test_hold_reason_is_empty_when_nothing_holds():
    assert hold_reason(make_comment(), settings(), has_approved_comment=True, uses_account_email=False) == ""


def test_match_key_returns_the_key_as_written_or_none():
    assert match_key("  Foo \nbar", "xx FOO xx") == "Foo"
    assert match_key("foo", "bar", None, "") is None
    assert match_key("", "anything") is None
    assert match_key(None, "anything") is None
    assert match_key("\n   \n", "anything") is None


def test_match_key_looks_in_non_text_fields_such_as_an_ip():
    assert match_key("203.0.113.", "x", "203.0.113.7") == "203.0.113."


def test_comment_fields_hold_text_link_targets_and_visitor_details():
    comment = make_comment('Hi <b>there</b> <a href="https://me.example/?a=1&amp;b=2">me</a>')
    fields = comment_fields(comment)
    assert "Hi there me" in fields
    assert "https://me.example/?a=1&b=2" in fields
    assert {"Riley Reader", "riley@example.com", "203.0.113.7"} <= set(fields)


# The moderation verbs (moderation.ACTIONS): where each is offered, as on WordPress's comment screen.


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        (PENDING, ["approve", "spam", "trash"]),
        (APPROVED, ["unapprove", "spam", "trash"]),
        (Comment.Status.SPAM, ["approve", "not_spam", "trash"]),
        (TRASH, ["approve", "spam", "restore"]),
    ],
)
def test_row_buttons_are_the_verbs_that_apply_to_the_status(status, buttons):
    comment = Comment(status=status)
    assert [action.name for action in ACTIONS.values() if action.row_button and action.applies(comment)] == buttons


@pytest.mark.parametrize(
    ("view", "menu"),
    [
        (None, ["approve", "unapprove", "spam", "trash"]),
        ("nonsense", ["approve", "unapprove", "spam", "trash"]),
        (PENDING, ["approve", "spam", "trash"]),
        (APPROVED, ["unapprove", "spam", "trash"]),
        (Comment.Status.SPAM, ["not_spam", "delete_permanently"]),
        (TRASH, ["spam", "restore", "delete_permanently"]),
    ],
)
def test_bulk_menu_of_each_status_view(view, menu):
    assert [action.name for action in actions_listed_in(view)] == menu


def test_deleting_for_good_is_for_spam_and_trash_and_needs_the_delete_permission():
    delete = ACTIONS["delete_permanently"]
    assert delete.applies_to == set(Comment.REMOVED_STATUSES)
    assert delete.permission == "delete" and not delete.row_button
    assert {action.permission for name, action in ACTIONS.items() if name != "delete_permanently"} == {"moderate"}


def test_emailed_links_offer_approve_spam_and_trash():
    assert [name for name, action in ACTIONS.items() if action.emailed] == ["approve", "spam", "trash"]


def test_done_messages_count():
    assert ACTIONS["approve"].done % {"count": 1} == "1 comment approved."
    assert ACTIONS["trash"].done % {"count": 3} == "3 comments moved to the Trash."
