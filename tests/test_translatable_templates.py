"""Every visible string of the site's templates goes through the translation tags.

A template is read with Django's own template lexer: its literal text (TEXT
tokens) outside ``{% blocktranslate %}`` and ``{% comment %}`` blocks is what
a reader gets untranslated. Markup, ``<script>``/``<style>`` content, entities
and whitespace are taken away; no letters may remain. Attribute values a
reader sees or hears (``aria-label``, ``title``, ``alt``, ...) are checked the
same way, and so are literal strings a template hands on for display
(``default:"none"``, ``include ... with label="..."``), which need ``_("...")``.
"""

import array
import re
import struct
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType
from django.template.loader import get_template, render_to_string

from tests.factories import PostFactory

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Literal strings that must stay as they are in every language, with the reason.
# Nothing else is needed: brand names come from Python (blog.share), the SVG
# icons hold no text, and attribute names such as og:title are markup.
NOT_TRANSLATED = {
    "en": "a language code, the fallback of <html lang>, not words",
    # What the shared pagination include is told: CSS classes, a query parameter, a fragment.
    "pagination": "a CSS class",
    "comment-navigation pagination": "CSS classes",
    "page": "the query parameter of post pages",
    "cpage": "the query parameter of comment pages (the contract's ?cpage=)",
    "#comments": "the fragment the comment page links go to",
}

# Inside these blocks the text is either the message itself or never shown.
SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}
TAG_MARK = "\x00"  # stands for a {% tag %} or {{ variable }} in the text left over

# What a reader sees or hears of an element besides its text. data-replyto is
# the form heading comment-reply.js shows when replying.
TEXT_ATTRIBUTES = {"alt", "aria-label", "aria-description", "placeholder", "title", "data-replyto"}
BUTTON_TYPES = {"button", "reset", "submit"}  # an <input> of these types shows its value

MARKUP_COMMENT = re.compile(r"<!--.*?-->", re.S)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
TAG = re.compile(r"<[!/?]?[a-zA-Z][^>]*>")
ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);")
LETTERS = re.compile(r"[^\W\d_]")
# Literal strings a variable or tag shows as they are (a quoted string; _("...") is translated).
SHOWN_LITERAL = re.compile(r"""\|(?:default|default_if_none):(["'])(.*?)\1""")
KEYWORD_LITERAL = re.compile(r"""\b\w+=(["'])(.*?)\1""")
ENGLISH_PLURAL = re.compile(r"\|pluralize\b")  # "post{{ n|pluralize }}": use blocktranslate count


def template_names():
    return sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*") if path.is_file())


def leftover_text(source):
    """The template's literal text, each tag or variable replaced by TAG_MARK, plus problems in tags."""
    parts, problems, closing = [], [], None
    for token in Lexer(source).tokenize():
        if closing:
            if token.token_type is TokenType.BLOCK and token.split_contents()[0] == closing:
                closing = None
            continue
        if token.token_type is TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type in (TokenType.VAR, TokenType.BLOCK):
            contents = token.contents
            for match in SHOWN_LITERAL.finditer(contents):
                if LETTERS.search(match[2]) and match[2] not in NOT_TRANSLATED:
                    problems.append(f"line {token.lineno}: literal {match[0]!r} needs _(...)")
            if ENGLISH_PLURAL.search(contents):
                problems.append(f"line {token.lineno}: {{{{ {contents} }}}} pluralizes the English way")
        if token.token_type is TokenType.BLOCK:
            name = token.split_contents()[0]
            closing = SKIPPED_BLOCKS.get(name)
            if name in {"include", "with"}:
                for match in KEYWORD_LITERAL.finditer(token.contents):
                    if LETTERS.search(match[2]) and match[2] not in NOT_TRANSLATED:
                        problems.append(f"line {token.lineno}: literal {match[0]!r} needs _(...)")
        parts.append(TAG_MARK)
    return "".join(parts), problems


def untranslated(source):
    """Each piece of visible text or text attribute left outside the translation tags."""
    text, found = leftover_text(source)
    text = SCRIPT_OR_STYLE.sub(TAG_MARK, MARKUP_COMMENT.sub(TAG_MARK, text))
    for tag in TAG.findall(text):
        attributes = {
            name.lower(): next(v for v in values if v is not None) for name, *values in ATTRIBUTE.findall(tag)
        }
        shown = TEXT_ATTRIBUTES & attributes.keys()
        if tag[1:].lower().startswith("input") and attributes.get("type", "").lower() in BUTTON_TYPES:
            shown |= {"value"}
        for name in sorted(shown):
            if LETTERS.search(attributes[name].replace(TAG_MARK, "")):
                found.append(f'{name}="{attributes[name].replace(TAG_MARK, "{…}")}"')
    text = ENTITY.sub(" ", TAG.sub(TAG_MARK, text))
    for piece in re.split(rf"[{TAG_MARK}\n]+", text):
        if LETTERS.search(piece):
            found.append(" ".join(piece.split()))
    return found


@pytest.mark.parametrize("name", template_names())
def test_template_has_no_text_outside_translation_tags(name):
    found = [piece for piece in untranslated((TEMPLATES / name).read_text()) if piece not in NOT_TRANSLATED]
    assert not found, f"templates/{name} shows text outside {{% translate %}} / {{% blocktranslate %}}:\n" + "\n".join(
        f"  {piece}" for piece in found
    )


@pytest.mark.parametrize("name", template_names())
def test_template_compiles(name):
    # Catches a template that uses {% translate %} without {% load i18n %}.
    get_template(name)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Hello</p>", ["Hello"]),
        ('<a href="/" title="Home">{% translate "Home" %}</a>', ['title="Home"']),
        ('<a aria-label="Share on {{ network }}">', ['aria-label="Share on {…}"']),
        ('<input type="submit" value="Send">', ['value="Send"']),
        ('{{ email|default:"none" }}', ["line 1: literal '|default:\"none\"' needs _(...)"]),
        ("{{ n }} post{{ n|pluralize }}", ["line 1: {{ n|pluralize }} pluralizes the English way", "post"]),
        ('{% include "x.html" with label="Search" %}', ["line 1: literal 'label=\"Search\"' needs _(...)"]),
        ("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}", []),
        ('{% translate "Hello" as hello %}<a title="{{ hello }}">&larr; &copy; 2026 *</a>', []),
        ('{{ email|default:_("none") }} {% comment %}Not shown{% endcomment %}<!-- note -->', []),
        ("<html lang=\"{{ lang|default:'en' }}\">", []),
        ('<script src="x.js"></script><style>p { color: red }</style><svg viewBox="0 0 1 1"></svg>', []),
    ],
)
def test_the_check_finds_text_outside_translation_tags(source, expected):
    assert untranslated(source) == expected


def compiled_catalogue(messages, plural_forms="nplurals=2; plural=(n > 1);"):
    """A gettext .mo file's bytes: ``{msgid: msgstr}``, a (singular, plural) key with a tuple of forms
    for plurals, ``"context\x04msgid"`` for a message with a context (as msgfmt writes them).

    Written here so that the suite needs no gettext tools installed."""
    header = f"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: {plural_forms}\n"
    entries = {b"": header.encode()}
    for msgid, msgstr in messages.items():
        key = "\0".join(msgid) if isinstance(msgid, tuple) else msgid
        value = "\0".join(msgstr) if isinstance(msgstr, tuple) else msgstr
        entries[key.encode()] = value.encode()
    keys = sorted(entries)
    ids = strs = b""
    spans = []
    for key in keys:
        spans.append((len(ids), len(key), len(strs), len(entries[key])))
        ids += key + b"\0"
        strs += entries[key] + b"\0"
    ids_start = 7 * 4 + 16 * len(keys)
    strs_start = ids_start + len(ids)
    table = [number for id_at, id_len, _, _ in spans for number in (id_len, ids_start + id_at)]
    table += [number for _, _, str_at, str_len in spans for number in (str_len, strs_start + str_at)]
    head = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    return head + array.array("i", table).tobytes() + ids + strs


@pytest.fixture
def site_in_french(settings, tmp_path):
    """The site run with LANGUAGE_CODE = "fr" and a small catalogue of the project's own (setting
    LOCALE_PATHS and LANGUAGE_CODE resets Django's translation caches, before and after)."""
    messages = tmp_path / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.mo").write_bytes(
        compiled_catalogue(
            {
                "Leave a Reply": "Laisser un commentaire",
                "Share “%(title)s”": "Partager « %(title)s »",
                "Share on %(network)s": "Partager sur %(network)s",
                "(opens in a new tab)": "(nouvel onglet)",
                "before the date of a post\x04Posted on": "Publié le",
                # Django's admin catalogue has this message too: ours differs, and wins.
                ("%(counter)s result", "%(counter)s results"): (
                    "%(counter)s billet trouvé",
                    "%(counter)s billets trouvés",
                ),
                ("The link works for %(days)s day.", "The link works for %(days)s days."): (
                    "Le lien fonctionne %(days)s jour.",
                    "Le lien fonctionne %(days)s jours.",
                ),
                "If you did not ask for this, ignore this email: nothing more will be sent.": "Sinon, ignorez-le.",
            }
        )
    )
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGE_CODE = "fr"


@pytest.mark.django_db
def test_a_catalogue_translates_the_article_page_and_its_attributes(client, site_in_french):
    post = PostFactory(title="Ici & là")
    response = client.get(post.get_absolute_url())
    html = response.content.decode()
    assert '<h3 id="reply-title" class="comment-reply-title">Laisser un commentaire <small>' in html
    assert 'aria-label="Partager « Ici &amp; là »"' in html  # the title inside is still escaped
    assert 'aria-label="Partager sur Facebook (nouvel onglet)"' in html
    assert '<span class="posted-on">Publié le <a' in html  # a message with a context
    assert "Leave a Reply" not in html


@pytest.mark.django_db
def test_a_catalogue_chooses_plural_forms_by_its_own_rule(client, site_in_french):
    PostFactory(title="Lettres")
    html = client.get("/search/", {"q": "Lettres"}).content.decode()
    assert '<p class="search-count" role="status">1 billet trouvé</p>' in html
    html = client.get("/search/", {"q": "nowhere"}).content.decode()
    assert '<p class="search-count" role="status">0 billet trouvé</p>' in html  # French: 0 is singular


def test_a_catalogue_translates_a_plain_text_email_without_escaping(site_in_french):
    text = render_to_string(
        "comments/email/confirm.txt",
        {
            "post_title": "Ici & là",
            "site_title": "Steady Ground",
            "confirm_url": "https://x.example/?a=1&b=2",
            "confirm_days": 7,
        },
    )
    assert "“Ici & là” (Steady Ground)" in text
    assert "https://x.example/?a=1&b=2" in text
    assert "\nLe lien fonctionne 7 jours. Sinon, ignorez-le.\n" in text
