"""recipient_key: every spelling of one mailbox gives one key, so the per-recipient share limit counts it once."""

import pytest
from django import forms

from blog.recipients import recipient_key

VICTIM = "victim@example.test"


@pytest.mark.parametrize(
    "spelling",
    [
        "victim@example.test",
        "  victim@example.test ",
        "VICTIM@Example.TEST",
        "victim+tag@example.test",
        "Victim+Other+More@example.test",
        '"victim"@example.test',
        '"VICTIM"@example.test',
        '"vic\\tim"@example.test',  # a quoted-pair: \t is the letter t
        '"\\v\\i\\c\\t\\i\\m"@example.test',
        '"victim+tag"@example.test',
        "victim@example.test.",  # the rooted name
        "victim@EXAMPLE.test.",
    ],
)
def test_spellings_of_one_mailbox_share_a_key(spelling):
    assert recipient_key(spelling) == VICTIM


@pytest.mark.parametrize(
    "spelling",
    [
        "victim@bücher.example",
        "victim@BÜCHER.example",
        "victim@xn--bcher-kva.example",
        "victim@XN--BCHER-KVA.EXAMPLE",
        "victim@xn--bcher-kva.example.",
        '"victim"@Bücher.Example',
    ],
)
def test_unicode_and_punycode_domains_meet(spelling):
    assert recipient_key(spelling) == "victim@xn--bcher-kva.example"


def test_full_width_letters_in_a_domain_fold_as_idna_does():
    assert recipient_key("victim@ｅｘａｍｐｌｅ.test") == VICTIM


@pytest.mark.parametrize(
    "spelling",
    [
        "victim@gmail.com",
        "vic.tim@gmail.com",
        "V.I.C.T.I.M+x@GMail.com",
        "victim@googlemail.com",
        '"vic.tim"@gmail.com',
    ],
)
def test_gmail_ignores_dots_and_answers_to_googlemail(spelling):
    assert recipient_key(spelling) == "victim@gmail.com"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("victim@[192.0.2.1]", "victim@[192.0.2.1]"),
        ("victim@[IPv6:2001:DB8:0:0::1]", "victim@[ipv6:2001:db8::1]"),
    ],
)
def test_address_literals_fold_to_one_spelling(one, other):
    assert recipient_key(one) == recipient_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("victim@example.test", "victim@example.org"),
        ("vic.tim@example.test", "victim@example.test"),  # dots matter outside Gmail
        ('"vic tim"@example.test', "victim@example.test"),  # a quoted space is part of the name
        ('"vic tim"@example.test', '"victim"@example.test'),
        ("victim@sub.example.test", "victim@example.test"),
    ],
)
def test_different_mailboxes_keep_different_keys(one, other):
    assert recipient_key(one) != recipient_key(other)


def test_a_quoted_name_that_is_not_a_plain_atom_keeps_its_quotes():
    assert recipient_key('"Vic Tim"@example.test') == '"vic tim"@example.test'
    assert recipient_key('"a\\"b"@example.test') == '"a\\"b"@example.test'


@pytest.mark.parametrize(
    "broken", ["", "@", "victim", "victim@", "@example.test", "victim@a..b", "x@" + "a" * 70 + ".test"]
)
def test_malformed_addresses_give_a_key_without_raising(broken):
    assert isinstance(recipient_key(broken), str)


@pytest.mark.parametrize(
    "spelling",
    ['"victim"@example.test', '"vic\\tim"@example.test', "victim@EXAMPLE.TEST", "victim@xn--bcher-kva.example"],
)
def test_the_share_forms_email_field_lets_these_spellings_through(spelling):
    # Why the folding matters: each of these reaches post_share_by_email as typed.
    assert forms.EmailField().clean(spelling) == spelling
