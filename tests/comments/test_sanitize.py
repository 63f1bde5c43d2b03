import re
from html.parser import HTMLParser

import brs_kb
import nh3
import pytest

from comments.sanitize import count_links, link_urls, sanitize_comment_html, sanitize_plain

# WordPress's kses list for comments, plus the <p> and <br> made from line breaks.
ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "cite", "code", "del", "em", "i", "q", "s", "strike", "strong"}
OUTPUT_TAGS = ALLOWED_TAGS | {"p", "br"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"datetime"},
}
SAFE_SCHEMES = {"http", "https", "mailto"}
# The scheme as a browser reads it (WHATWG URL "scheme state"), once tabs and newlines are dropped.
SCHEME_RE = re.compile(r"([a-z][a-z0-9+.-]*):")


class TagCollector(HTMLParser):
    """Every start tag with its attributes, entities decoded, as a browser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def tags_of(html):
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def assert_safe(html):
    assert "<script" not in html.lower()
    for tag, attrs in tags_of(html):
        assert tag in OUTPUT_TAGS, (tag, html)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, html)
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()), (tag, name, html)
            compact = re.sub(r"[\x00-\x20]", "", value or "").lower()
            assert not compact.startswith(("javascript:", "vbscript:", "data:")), (name, value)
            if name in {"href", "cite"} and (scheme := SCHEME_RE.match(compact)):
                assert scheme[1] in SAFE_SCHEMES, (name, value)
    # Stored HTML is exactly what nh3 would make of it.
    attributes = {"*": set()} | {tag: names - {"rel"} for tag, names in ALLOWED_ATTRIBUTES.items()}
    assert nh3.clean(html, tags=OUTPUT_TAGS, attributes=attributes, link_rel="nofollow ugc") == html


def test_wordpress_example_keeps_href_and_title_and_adds_nofollow_ugc():
    typed = '<a href="http://link.example/" title="T" target="_blank" onclick="alert(1)" class="c" rel="me">a-link</a>'
    assert sanitize_comment_html(typed) == (
        '<p><a href="http://link.example/" title="T" rel="nofollow ugc">a-link</a></p>'
    )


def test_link_without_allowed_attributes_gets_only_href_and_rel():
    typed = '<a href="http://x/" onclick="steal()" target="_blank" rel="me" class="c">x</a>'
    assert sanitize_comment_html(typed) == '<p><a href="http://x/" rel="nofollow ugc">x</a></p>'


def test_allowed_tags_keep_their_allowed_attributes_only():
    typed = (
        '<abbr title="HyperText" id="h">HTML</abbr> <b class="x">b</b> <cite>c</cite> <code>c</code> '
        '<del datetime="2024-01-01" style="color:red">d</del> <em>e</em> <i>i</i> <q cite="https://q.example/" '
        'lang="en">q</q> <s>s</s> <strike>st</strike> <strong>st</strong>'
    )
    assert sanitize_comment_html(typed) == (
        '<p><abbr title="HyperText">HTML</abbr> <b>b</b> <cite>c</cite> <code>c</code> '
        '<del datetime="2024-01-01">d</del> <em>e</em> <i>i</i> <q cite="https://q.example/">q</q> '
        "<s>s</s> <strike>st</strike> <strong>st</strong></p>"
    )


def test_blockquote_keeps_cite_and_holds_its_own_paragraphs():
    typed = '<blockquote cite="https://source.example/">first\n\nsecond</blockquote>\nafter'
    assert sanitize_comment_html(typed) == (
        '<blockquote cite="https://source.example/"><p>first</p><p>second</p></blockquote><p>after</p>'
    )


@pytest.mark.parametrize(
    "typed",
    [
        "<p>para</p>",
        "<div>para</div>",
        "<span style='x'>para</span>",
        "<h2>para</h2>",
        "<u>para</u>",
        "<sup>para</sup>",
        "<pre>para</pre>",
        "<ul><li>para</li></ul>",
    ],
)
def test_other_tags_are_removed_but_their_text_is_kept(typed):
    assert sanitize_comment_html(typed) == "<p>para</p>"


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        "<style>body{display:none}</style>",
        "<img src=x onerror=alert(1)>",
        '<iframe src="https://evil.example/"></iframe>',
        "<svg onload=alert(1)><circle r=1 /></svg>",
        '<object data="x.swf"></object><embed src="x.swf">',
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_executable_markup_disappears(typed):
    assert sanitize_comment_html(typed) == ""


def test_event_handlers_on_allowed_tags_are_removed():
    assert sanitize_comment_html('<b onmouseover="alert(1)">x</b>') == "<p><b>x</b></p>"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "jav&#x0A;ascript:alert(1)",
        "jav\tascript:alert(1)",
        "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
        "javascript&colon;alert(1)",
        "&#1;javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,<script>alert(1)</script>",
    ],
)
def test_unsafe_url_schemes_never_survive(href):
    for typed in (f'<a href="{href}">x</a>', f'<q cite="{href}">x</q>', f'<blockquote cite="{href}">x</blockquote>'):
        html = sanitize_comment_html(typed)
        assert_safe(html)
        assert "href" not in html
        assert "cite" not in html


def test_mailto_and_relative_links_survive():
    html = sanitize_comment_html('<a href="mailto:ada@example.com">mail</a> <a href="/about/">about</a>')
    assert link_urls(html) == ["mailto:ada@example.com", "/about/"]


def test_blank_lines_make_paragraphs_and_newlines_make_line_breaks():
    typed = "First line\nsecond line\r\n\r\n\n  Second paragraph\n"
    assert sanitize_comment_html(typed) == "<p>First line<br>\nsecond line</p><p>Second paragraph</p>"


def test_inline_tag_open_across_a_blank_line_is_closed_in_each_paragraph():
    assert sanitize_comment_html("<b>bold\n\nstill bold</b>") == "<p><b>bold</b></p><p><b>still bold</b></p>"


@pytest.mark.parametrize("typed", ["", None, "   \n\n \t", "<p></p>"])
def test_empty_input_gives_empty_html(typed):
    assert sanitize_comment_html(typed) == ""


def test_bare_urls_become_nofollow_ugc_links_without_trailing_punctuation():
    html = sanitize_comment_html("See https://example.com/a?b=1&c=2. Or www.example.org, or (http://x.example/p).")
    assert html == (
        '<p>See <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc">https://example.com/a?b=1&amp;c=2</a>. '
        'Or <a href="http://www.example.org" rel="nofollow ugc">www.example.org</a>, '
        'or (<a href="http://x.example/p" rel="nofollow ugc">http://x.example/p</a>).</p>'
    )


def test_parentheses_inside_a_bare_url_are_kept():
    html = sanitize_comment_html("https://en.wikipedia.org/wiki/Foo_(bar)")
    assert link_urls(html) == ["https://en.wikipedia.org/wiki/Foo_(bar)"]


def test_urls_inside_links_and_code_are_not_linked_again():
    html = sanitize_comment_html('<a href="http://x.example/">http://y.example/</a> <code>http://z.example/</code>')
    assert link_urls(html) == ["http://x.example/"]


def test_text_that_looks_like_a_url_scheme_is_not_linked():
    assert sanitize_comment_html("javascript:alert(1) ftp://files.example/") == (
        "<p>javascript:alert(1) ftp://files.example/</p>"
    )


def test_angle_brackets_ampersands_and_quotes_in_text_are_escaped():
    assert sanitize_comment_html("1 < 2 && 3 > 2, \"quoted\" and 'single'") == (
        "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2, \"quoted\" and 'single'</p>"
    )


def test_typed_entities_stay_text():
    assert sanitize_comment_html("&lt;script&gt;alert(1)&lt;/script&gt;") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


def test_unicode_and_emoji_are_preserved():
    typed = "Ünïcödé — “quotes”, 日本語, emoji 😀👩‍👩‍👧 and RTL עברית"
    assert sanitize_comment_html(typed) == f"<p>{typed}</p>"


def test_control_characters_are_removed():
    assert sanitize_comment_html("a\x00b\x07c&#1;d\x7fe") == "<p>abcde</p>"


def test_html_comments_are_removed():
    assert sanitize_comment_html("a<!-- <script>alert(1)</script> -->b") == "<p>ab</p>"


def test_output_is_stable_when_sanitised_again():
    html = sanitize_comment_html("Hi http://x.example/\n\n<blockquote>q</blockquote> <b>b</b>")
    assert sanitize_comment_html(html) == html


def test_count_links_counts_typed_and_auto_linked_urls():
    html = sanitize_comment_html('<a href="http://a.example/">a</a> and http://b.example/ and www.c.example')
    assert count_links(html) == 3


def test_count_links_ignores_links_left_without_href():
    html = sanitize_comment_html('<a href="javascript:alert(1)">x</a> <a>y</a>')
    assert count_links(html) == 0
    assert count_links("") == 0


def test_sanitize_plain_removes_control_characters_and_folds_whitespace():
    assert sanitize_plain("  Ada\x00 \t Love\x1blace\r\n ") == "Ada Lovelace"
    assert sanitize_plain(None) == ""
    assert sanitize_plain("Zoë 👩‍💻") == "Zoë 👩‍💻"


def test_generic_title_and_lang_attributes_are_removed():
    assert sanitize_comment_html('<b title="t" lang="en" dir="rtl">x</b>') == "<p><b>x</b></p>"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # brs_kb builds its entries with utcnow()
def test_every_known_xss_payload_comes_out_harmless():
    payloads = [entry["payload"] for entry in brs_kb.get_all_payloads().values()]
    assert len(payloads) > 1000
    for payload in payloads:
        assert_safe(sanitize_comment_html(payload))
