"""The WXR reader: the real Theme Unit Test export, namespaces, safety, messy input and flat memory."""

import collections
import io
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wordpress.wxr.cleaning import CleanedStream, TextCleaner, clean_bytes
from wordpress.wxr.reader import Author, Category, Channel, Item, Tag, Term, WXRError, read_wxr

THEME_DATA = Path(__file__).parent / "data" / "themeunittestdata.wordpress.xml"  # ../shared/fixtures/wordpress
SAFETY = "The file declares XML entities or a DTD, which a WordPress export never does: refused for safety."


def wxr(namespace="https://wordpress.org/export/1.2/", *, item="", head="", prolog="", channel_extra=""):
    """A minimal WXR export: one author, one category, one tag and one item with one comment."""
    excerpt = namespace + "excerpt/"
    item = (
        item
        or """
<item>
  <title>Hello</title>
  <link>https://example.com/hello/</link>
  <pubDate>Thu, 10 Jan 2013 20:15:40 +0000</pubDate>
  <dc:creator><![CDATA[admin]]></dc:creator>
  <guid isPermaLink="false">https://example.com/?p=1</guid>
  <description></description>
  <content:encoded><![CDATA[<p>Body &nbsp; kept</p>]]></content:encoded>
  <excerpt:encoded><![CDATA[]]></excerpt:encoded>
  <wp:post_id>1</wp:post_id>
  <wp:post_date>2013-01-10 20:15:40</wp:post_date>
  <wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
  <wp:post_name>%e6%bc%a2%e5%ad%97</wp:post_name>
  <wp:status>draft</wp:status>
  <wp:post_parent>garbage</wp:post_parent>
  <wp:post_type>post</wp:post_type>
  <wp:is_sticky>1</wp:is_sticky>
  <category domain="category" nicename="%f0%9f%98%80-news"><![CDATA[😀 News]]></category>
  <wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>7</wp:meta_value></wp:postmeta>
  <wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>8</wp:meta_value></wp:postmeta>
  <wp:comment>
    <wp:comment_id>5</wp:comment_id>
    <wp:comment_author><![CDATA[Ann]]></wp:comment_author>
    <wp:comment_date>2013-01-11 08:00:00</wp:comment_date>
    <wp:comment_date_gmt>2013-01-11 16:00:00</wp:comment_date_gmt>
    <wp:comment_content><![CDATA[ Nice! ]]></wp:comment_content>
    <wp:comment_approved>1</wp:comment_approved>
    <wp:comment_type></wp:comment_type>
    <wp:comment_parent>0</wp:comment_parent>
    <wp:comment_user_id>0</wp:comment_user_id>
    <wp:commentmeta><wp:meta_key>akismet_result</wp:meta_key><wp:meta_value>false</wp:meta_value></wp:commentmeta>
  </wp:comment>
</item>"""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>{prolog}
<rss version="2.0" xmlns:excerpt="{excerpt}" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{namespace}">
<channel>
<title> Site{head} </title>
<link>https://example.com</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://example.com</wp:base_blog_url>{channel_extra}
<wp:author><wp:author_id>3</wp:author_id><wp:author_login>admin</wp:author_login></wp:author>
<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>%e6%bc%a2</wp:category_nicename>
 <wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[漢]]></wp:cat_name></wp:category>
<wp:tag><wp:tag_slug>t</wp:tag_slug><wp:tag_name>T</wp:tag_name></wp:tag>
{item}
</channel>
</rss>
"""


def read(text):
    return list(read_wxr(io.BytesIO(text.encode("utf-8") if isinstance(text, str) else text)))


def only_item(text):
    return next(record for record in read(text) if isinstance(record, Item))


def item_with(content_xml):
    """A WXR whose single item's title element is ``content_xml`` (raw, outside CDATA)."""
    return wxr(item=f"<item><title>{content_xml}</title><wp:post_id>2</wp:post_id></item>")


# The real export -----------------------------------------------------------


@pytest.fixture(scope="module")
def theme_records():
    return list(read_wxr(THEME_DATA))


def test_theme_data_channel_comes_first_and_once(theme_records):
    channel = theme_records[0]
    assert isinstance(channel, Channel)
    assert sum(isinstance(record, Channel) for record in theme_records) == 1
    assert channel.title == "Theme Unit Test Data"
    assert channel.wxr_version == "1.2"
    assert channel.base_blog_url == "https://wpthemetestdata.wordpress.com"


def test_theme_data_counts(theme_records):
    kinds = collections.Counter(type(record).__name__ for record in theme_records)
    raw = THEME_DATA.read_text()
    # Each element stands alone on its line in this export, so counting the tags is exact.
    assert kinds["Author"] == 2
    assert kinds["Category"] == raw.count("<wp:category>") == 68
    assert kinds["Tag"] == raw.count("<wp:tag>") == 110
    assert kinds["Term"] == raw.count("<wp:term>") == 7
    assert kinds["Item"] == raw.count("<item>") == 186
    items = [record for record in theme_records if isinstance(record, Item)]
    # Counted by hand (grep, with and without CDATA around the value).
    assert collections.Counter(item.post_type for item in items) == {
        "nav_menu_item": 70,
        "post": 58,
        "attachment": 37,
        "page": 21,
    }
    assert sum(len(item.comments) for item in items) == raw.count("<wp:comment>") == 33


def test_theme_data_threaded_comments(theme_records):
    post = next(r for r in theme_records if isinstance(r, Item) and r.title == "Template: Comments")
    assert len(post.comments) == 20
    assert collections.Counter(comment.approved for comment in post.comments) == {"1": 19, "0": 1}
    ids = {comment.wordpress_id for comment in post.comments}
    replies = [comment for comment in post.comments if comment.parent]
    assert replies and all(comment.parent in ids for comment in replies)
    assert post.comments[0].author == "John Γιάννης Doe Κάποιος"
    assert post.comments[0].date == datetime(2012, 9, 3, 10, 18, 4)
    assert post.comments[0].date_gmt == datetime(2012, 9, 3, 17, 18, 4, tzinfo=UTC)
    assert {term.slug for term in post.terms if term.domain == "post_tag"} == {"comments-2", "template"}


def test_theme_data_special_posts(theme_records):
    items = [record for record in theme_records if isinstance(record, Item)]
    assert any(item.is_sticky for item in items)
    assert [item.post_password for item in items if item.post_password] == ["enter"]
    scheduled = next(item for item in items if item.status == "future")
    assert scheduled.post_date_gmt == datetime(2030, 1, 1, 19, 0, 18, tzinfo=UTC)
    draft = next(item for item in items if item.status == "draft")
    # This export's one draft has a real GMT date; the zero date is tested on a small file below.
    assert draft.post_date == datetime(2013, 4, 9, 11, 20, 39)
    assert "επίπεδο-2" in {item.post_name for item in items}
    attachment = next(item for item in items if item.post_type == "attachment")
    assert attachment.attachment_url.startswith("https://wpthemetestdata.files.wordpress.com/")
    assert any("_thumbnail_id" in item.meta for item in items)


def test_theme_data_cut_at_60_percent_is_truncated_after_some_items():
    data = THEME_DATA.read_bytes()
    records = []
    with pytest.raises(WXRError, match="truncated") as error:
        for record in read_wxr(io.BytesIO(data[: len(data) * 6 // 10])):
            records.append(record)
    assert sum(isinstance(record, Item) for record in records) > 10
    assert error.value.line > 1000
    assert str(error.value) == error.value.message


# The small builder -----------------------------------------------------------


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_namespace_is_read(scheme, version):
    records = read(wxr(f"{scheme}://wordpress.org/export/{version}/"))
    assert [type(record) for record in records] == [Channel, Author, Category, Tag, Item]
    channel, author, category, tag, item = records
    assert channel.title == "Site"
    assert (author.login, author.wordpress_id) == ("admin", 3)
    assert (category.term_id, category.slug, category.name) == (4, "漢", "漢")
    assert (tag.term_id, tag.slug) == (None, "t")
    assert item.excerpt == ""
    assert item.content == "<p>Body &nbsp; kept</p>"
    assert item.creator == "admin" and item.guid_is_permalink is False
    assert len(item.comments) == 1


def test_item_fields_are_decoded():
    item = only_item(wxr())
    assert item.post_name == "漢字"
    assert item.post_date == datetime(2013, 1, 10, 20, 15, 40)
    assert item.post_date_gmt is None
    assert item.post_parent == 0 and item.menu_order == 0
    assert item.is_sticky is True
    assert item.meta == {"_thumbnail_id": ["7", "8"]}
    assert item.terms[0].slug == "😀-news" and item.terms[0].name == "😀 News"
    comment = item.comments[0]
    assert comment.content == " Nice! "
    assert comment.date_gmt == datetime(2013, 1, 11, 16, 0, tzinfo=UTC)
    assert comment.meta == {"akismet_result": ["false"]}


def test_garbage_dates_and_ints_fall_back():
    item = only_item(
        wxr(
            item="<item><wp:post_id>x</wp:post_id><wp:post_date>yesterday</wp:post_date>"
            "<wp:post_date_gmt>2013-13-45 99:00:00</wp:post_date_gmt><wp:menu_order> 3 </wp:menu_order></item>"
        )
    )
    assert (item.post_id, item.post_date, item.post_date_gmt, item.menu_order) == (0, None, None, 3)
    assert item.title == "" and item.comments == [] and item.guid_is_permalink is True


def test_term_elements_are_read():
    extra = "<wp:term><wp:term_id>9</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy>"
    extra += "<wp:term_slug>main</wp:term_slug><wp:term_name>Main</wp:term_name></wp:term>"
    term = next(record for record in read(wxr(channel_extra=extra)) if isinstance(record, Term))
    assert (term.term_id, term.taxonomy, term.slug, term.name, term.parent_slug) == (9, "nav_menu", "main", "Main", "")


def test_channel_without_records_is_yielded_at_the_end():
    text = '<rss xmlns:wp="http://wordpress.org/export/1.0/"><channel><title>Empty</title></channel></rss>'
    assert read(text) == [Channel(title="Empty")]


@pytest.mark.parametrize(
    "text",
    [
        wxr("http://wordpress.org/export/2.0/"),
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><item/></channel></rss>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:wp="http://wordpress.org/export/1.2/"></feed>',
    ],
)
def test_other_files_are_refused(text):
    with pytest.raises(WXRError, match=r"^This is not a WordPress export \(WXR 1\.0–1\.2\) file: "):
        read(text)


def test_path_empty_and_missing_files(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(wxr())
    assert len(list(read_wxr(path))) == 5
    assert len(list(read_wxr(str(path)))) == 5
    (tmp_path / "empty.xml").write_bytes(b"")
    with pytest.raises(WXRError, match="empty"):
        list(read_wxr(tmp_path / "empty.xml"))
    with pytest.raises(WXRError, match="could not be opened"):
        list(read_wxr(tmp_path / "missing.xml"))
    with pytest.raises(WXRError, match="could not be opened"):
        list(read_wxr(tmp_path))


def test_other_syntax_errors_give_the_line():
    text = wxr(item="<item>\n<title>a</wrong></item>")
    records = []
    with pytest.raises(WXRError, match=r"^The file is broken at line \d+: a closing tag") as error:
        records.extend(read_wxr(io.BytesIO(text.encode())))
    assert error.value.line == text.splitlines().index("<title>a</wrong></item>") + 1
    assert [type(record) for record in records] == [Channel, Author, Category, Tag]
    with pytest.raises(WXRError, match="not XML"):
        read("this is not xml")


# Safety --------------------------------------------------------------------

BILLION_LAUGHS = """<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>"""


@pytest.mark.parametrize(
    "prolog, head",
    [
        (BILLION_LAUGHS, "&lol4;"),
        ('<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;"),
        ('<!DOCTYPE rss SYSTEM "file://{secret}">', ""),
        ('<!DOCTYPE rss PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://127.0.0.1:9/x.dtd">', ""),
        ("<!DOCTYPE rss>", ""),
    ],
)
def test_dtds_and_entities_are_refused_without_reading_anything(tmp_path, prolog, head):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    records = []
    with pytest.raises(WXRError) as error:
        records.extend(read_wxr(io.BytesIO(wxr(prolog=prolog.format(secret=secret), head=head).encode())))
    assert error.value.message == SAFETY
    assert error.value.line == 1
    assert records == []
    assert "TOP-SECRET" not in repr(error.value)


# Messy exports -----------------------------------------------------------------


@pytest.mark.parametrize(
    "reference",
    ["&#xD800;", "&#xdfff;", "&#55296;", "&#0;", "&#x0;", "&#x1;", "&#X1F;", "&#11;", "&#xFFFE;", "&#xffff;"]
    + ["&#65535;", "&#x110000;", "&#1114112;", "&#x0000000000000000001;"],
)
def test_references_to_forbidden_characters_are_removed(reference):
    assert only_item(item_with(f"a{reference}b")).title == "ab"


def test_valid_references_and_xml_entities_are_kept():
    title = only_item(item_with("&#x41;&#X42;&#67;&#x1F600;&#9;&amp;&lt;&gt;&quot;&apos;")).title
    assert title == "ABC😀\t&<>\"'"


def test_raw_forbidden_characters_are_removed_even_in_cdata():
    text = wxr(
        item="<item><title>a\x00b\x0bc\x0cd\x1f\ufffee\uffff</title>"
        "<content:encoded><![CDATA[x\x01y\x08z\tkeep\r\n]]></content:encoded></item>"
    )
    item = only_item(text)
    assert item.title == "abcde"
    assert item.content == "xyz\tkeep\n"


def test_invalid_utf8_becomes_replacement_characters():
    text = wxr(item="<item><title>caf\u00e9 BAD</title></item>").encode()
    item = only_item(text.replace(b"BAD", b"\xff\xc3(\xe2\x82"))
    assert item.title == "café \ufffd\ufffd(\ufffd"


def test_declared_legacy_encoding_is_decoded_and_relabelled():
    text = wxr(item="<item><title>Caf\u00e9 \u2013 \u20ac</title></item>")
    text = text.replace('encoding="UTF-8"', "encoding='windows-1252'").replace("漢", "x")
    data = text.encode("cp1252")
    assert only_item(data).title == "Café – €"
    assert clean_bytes(data).startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    latin = text.replace("'windows-1252'", '"ISO-8859-1"').replace(" \u2013 \u20ac", "")
    assert only_item(latin.encode("latin-1")).title == "Café"


def test_utf8_byte_order_mark_is_accepted():
    assert only_item(b"\xef\xbb\xbf" + wxr().encode()).post_id == 1


def test_html_entities_become_characters_outside_cdata_only():
    text = wxr(
        item="<item><title>A&nbsp;B&hellip; &eacute;&LT;&NewLine;&unknown; AT&T & co</title>"
        "<content:encoded><![CDATA[A&nbsp;B&hellip; &#0; &unknown; AT&T]]></content:encoded>"
        '<category domain="post_tag" nicename="a&amp;b">Caf&eacute; &amp; more</category></item>'
    )
    item = only_item(text)
    assert item.title == "A\u00a0B\u2026 \u00e9<\n&unknown; AT&T & co"
    assert item.content == "A&nbsp;B&hellip; &#0; &unknown; AT&T"
    assert (item.terms[0].slug, item.terms[0].name) == ("a&b", "Café & more")


def test_comments_are_left_alone():
    assert (
        clean_bytes(b"<!-- &nbsp; &#0; <![CDATA[ --><a>&nbsp;</a>")
        == "<!-- &nbsp; &#0; <![CDATA[ --><a>\u00a0</a>".encode()
    )


def test_bidi_zero_width_emoji_and_zalgo_survive():
    bidi = "\u202aL\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    kept = (
        bidi + " z\u200b\u200c\u200dw\ufeff \U0001f469\u200d\U0001f4bb\U0001f1eb\U0001f1f7 Z\u0351\u0325a\u0306\u034el"
    )
    item = only_item(
        wxr(item=f"<item><title>{kept}</title><content:encoded><![CDATA[{kept}]]></content:encoded></item>")
    )
    assert item.title == kept
    assert item.content == kept


MESSY = (
    '<?xml version="1.0" encoding="UTF-8"?><r a="x&nbsp;&#0;y">&hellip;&#xD800;&#x41;&#65;&amp;&bogus; AT&T'
    "<![CDATA[&nbsp;&#0;]] ]]]>&eacute;<!-- &nbsp; -- ->-->\x0b&CounterClockwiseContourIntegral;"
    "漢字😀\ufffe&#x10FFFF;&#x110000;&lt;</r>"
)


def test_cleaning_is_the_same_whatever_the_chunk_size():
    data = MESSY.encode() + b"\xff"
    whole = clean_bytes(data, chunk_size=len(data) + 1)
    assert (
        whole
        == (
            '<?xml version="1.0" encoding="UTF-8"?><r a="x\u00a0y">\u2026&#x41;&#65;&amp;&amp;bogus; AT&amp;T'
            "<![CDATA[&nbsp;&#0;]] ]]]>\u00e9<!-- &nbsp; -- ->-->\u2233漢字😀&#x10FFFF;&lt;</r>\ufffd"
        ).encode()
    )
    for size in range(1, 8):
        assert clean_bytes(data, chunk_size=size) == whole, size
    text_cleaner = TextCleaner()
    pieces = [text_cleaner.feed(MESSY[i : i + 3]) for i in range(0, len(MESSY), 3)]
    assert "".join(pieces) + text_cleaner.feed("", final=True) == whole[:-3].decode()


def test_cleaned_stream_reads_in_any_size():
    data = MESSY.encode()
    stream = CleanedStream(io.BytesIO(data), chunk_size=5)
    pieces = iter(lambda: stream.read(4), b"")
    assert b"".join(pieces) == clean_bytes(data)


# Memory ----------------------------------------------------------------------


def test_memory_stays_flat_however_many_items(tmp_path):
    path = tmp_path / "big.xml"
    body = "<p>" + "Lorem ipsum dolor sit amet &amp; more. " * 60 + "</p>"
    head, tail = wxr(item="@ITEMS@").split("@ITEMS@")
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        for n in range(1, 5001):
            out.write(
                f"<item><title>Post {n}</title><wp:post_id>{n}</wp:post_id>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
                f"<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>{n}</wp:meta_value></wp:postmeta></item>\n"
            )
        out.write(tail)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = sum(isinstance(record, Item) for record in read_wxr(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 5000
    assert size > 10_000_000
    assert peak < size * 0.2 and peak < 30_000_000, (peak, size)


def test_theme_data_reads_in_less_memory_than_its_size(theme_records):
    # theme_records has warmed the one-off imports (strptime's regexes), so this measures the reading.
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_wxr(THEME_DATA))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == len(theme_records)
    assert peak < THEME_DATA.stat().st_size, peak


@pytest.mark.parametrize(
    "cut",
    [
        "</item>",  # every item complete, the closing tags missing
        "<wp:comment_content><![CDATA[ Nic",  # inside a CDATA section
        "<wp:post_na",  # inside a tag
        "<wp:comment_author><![CDATA[Ann]]></wp:comment_author>",  # between elements
    ],
)
def test_truncated_files_say_so_after_the_complete_records(cut):
    text = wxr()
    data = text[: text.index(cut) + len(cut)].encode()
    records = []
    with pytest.raises(
        WXRError, match=r"^The file ends before the export is complete \(line \d+\): it looks truncated"
    ):
        records.extend(read_wxr(io.BytesIO(data)))
    complete = [Channel, Author, Category, Tag, Item] if cut == "</item>" else [Channel, Author, Category, Tag]
    assert [type(record) for record in records] == complete


def test_truncated_in_the_middle_of_a_utf8_character():
    data = wxr().encode()
    cut = data.index("漢".encode()) + 1
    with pytest.raises(WXRError, match="truncated"):
        list(read_wxr(io.BytesIO(data[:cut])))


def test_text_mode_files_are_a_programming_error():
    with pytest.raises(TypeError, match="binary mode"):
        list(read_wxr(io.StringIO(wxr())))


def test_cleaning_leaves_a_clean_export_byte_for_byte():
    data = THEME_DATA.read_bytes()
    assert clean_bytes(data) == data
    assert clean_bytes(data, chunk_size=101) == data


def test_utf16_with_a_byte_order_mark_is_read():
    text = wxr().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    item = only_item(text.encode("utf-16"))
    assert item.post_name == "漢字"
