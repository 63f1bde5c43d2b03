"""Read a WordPress WXR export as a stream of plain records, safely and in flat memory.

``read_wxr(source)`` yields the Channel once, then Author, Category, Tag, Term and
Item records in document order. Nothing here touches the database: the importer
decides what to keep. Text is as parsed (never HTML-unescaped).
"""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import iterparse as defused_iterparse

from .cleaning import CleanedStream
from .records import Author, Category, Channel, Comment, Item, ItemTerm, Tag, Term, WXRError

__all__ = ["Author", "Category", "Channel", "Comment", "Item", "ItemTerm", "Tag", "Term", "WXRError", "read_wxr"]

_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[012]/(excerpt/)?$")
_CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
_DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
_RECORDS = frozenset({"wp:author", "wp:category", "wp:tag", "wp:term", "item"})
_SAFETY_MESSAGE = "The file declares XML entities or a DTD, which a WordPress export never does: refused for safety."


_names = {}


def _name(tag):
    """Map "{namespace}local" to "wp:local", "content:local"…, or the bare local name."""
    try:
        return _names[tag]
    except KeyError:
        pass
    namespace, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    match = _WP_NAMESPACE.match(namespace)
    if match:
        prefix = "excerpt:" if match.group(1) else "wp:"
    else:
        prefix = {"": "", _CONTENT_NAMESPACE: "content:", _DC_NAMESPACE: "dc:"}.get(namespace, "?:")
    if len(_names) < 1000:  # a hostile file must not grow the cache without bound
        _names[tag] = prefix + local
    return prefix + local


class _Fields(dict):
    """An element's children as name → raw text (the first of each name wins)."""

    def __init__(self, elem):
        super().__init__()
        for child in elem:
            self.setdefault(_name(child.tag), "".join(child.itertext()))

    def s(self, key):
        return self.get(key, "").strip()


def _int(value, default=0):
    try:
        return int(value.strip())
    except (AttributeError, ValueError):
        return default


def _date(value, aware=False):
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except (AttributeError, ValueError):
        # Drafts carry "0000-00-00 00:00:00", which is no date at all.
        return None
    return parsed.replace(tzinfo=UTC) if aware else parsed


def _meta(elem, wrapper):
    meta = {}
    for child in elem:
        if _name(child.tag) == wrapper:
            pair = _Fields(child)
            meta.setdefault(pair.get("wp:meta_key", "").strip(), []).append(pair.get("wp:meta_value", ""))
    return meta


def _author(elem):
    f = _Fields(elem)
    return Author(
        login=f.s("wp:author_login"),
        email=f.s("wp:author_email"),
        display_name=f.s("wp:author_display_name"),
        first_name=f.s("wp:author_first_name"),
        last_name=f.s("wp:author_last_name"),
        wordpress_id=_int(f.get("wp:author_id"), None),
    )


def _term(elem, kind):
    f = _Fields(elem)
    term_id, meta = _int(f.get("wp:term_id"), None), _meta(elem, "wp:termmeta")
    if kind == "wp:category":
        return Category(
            term_id=term_id,
            slug=unquote(f.s("wp:category_nicename")),
            parent_slug=unquote(f.s("wp:category_parent")),
            name=f.s("wp:cat_name"),
            description=f.s("wp:category_description"),
            meta=meta,
        )
    if kind == "wp:tag":
        return Tag(
            term_id=term_id,
            slug=unquote(f.s("wp:tag_slug")),
            name=f.s("wp:tag_name"),
            description=f.s("wp:tag_description"),
            meta=meta,
        )
    return Term(
        term_id=term_id,
        taxonomy=f.s("wp:term_taxonomy"),
        slug=unquote(f.s("wp:term_slug")),
        parent_slug=unquote(f.s("wp:term_parent")),
        name=f.s("wp:term_name"),
        description=f.s("wp:term_description"),
        meta=meta,
    )


def _comment(elem):
    f = _Fields(elem)
    return Comment(
        wordpress_id=_int(f.get("wp:comment_id")),
        author=f.s("wp:comment_author"),
        author_email=f.s("wp:comment_author_email"),
        author_url=f.s("wp:comment_author_url"),
        author_ip=f.s("wp:comment_author_IP"),
        date=_date(f.get("wp:comment_date")),
        date_gmt=_date(f.get("wp:comment_date_gmt"), aware=True),
        content=f.get("wp:comment_content", ""),
        approved=f.s("wp:comment_approved"),
        type=f.s("wp:comment_type"),
        parent=_int(f.get("wp:comment_parent")),
        user_id=_int(f.get("wp:comment_user_id")),
        meta=_meta(elem, "wp:commentmeta"),
    )


def _item(elem):
    f = _Fields(elem)
    terms, comments = [], []
    guid_is_permalink = True
    for child in elem:
        name = _name(child.tag)
        if name == "category":
            terms.append(
                ItemTerm(
                    domain=child.get("domain", "").strip(),
                    slug=unquote(child.get("nicename", "").strip()),
                    name="".join(child.itertext()).strip(),
                )
            )
        elif name == "wp:comment":
            comments.append(_comment(child))
        elif name == "guid":
            # RSS says a guid is a permalink unless isPermaLink="false".
            guid_is_permalink = child.get("isPermaLink", "true").strip().lower() != "false"
    return Item(
        title=f.s("title"),
        link=f.s("link"),
        pub_date=f.s("pubDate"),
        creator=f.s("dc:creator"),
        guid=f.s("guid"),
        guid_is_permalink=guid_is_permalink,
        description=f.get("description", ""),
        content=f.get("content:encoded", ""),
        excerpt=f.get("excerpt:encoded", ""),
        post_id=_int(f.get("wp:post_id")),
        post_date=_date(f.get("wp:post_date")),
        post_date_gmt=_date(f.get("wp:post_date_gmt"), aware=True),
        post_modified_gmt=_date(f.get("wp:post_modified_gmt"), aware=True),
        post_modified=_date(f.get("wp:post_modified")),
        comment_status=f.s("wp:comment_status"),
        ping_status=f.s("wp:ping_status"),
        post_name=unquote(f.s("wp:post_name")),
        status=f.s("wp:status"),
        post_parent=_int(f.get("wp:post_parent")),
        menu_order=_int(f.get("wp:menu_order")),
        post_type=f.s("wp:post_type"),
        post_password=f.s("wp:post_password"),
        is_sticky=f.s("wp:is_sticky") == "1",
        attachment_url=f.s("wp:attachment_url"),
        terms=terms,
        meta=_meta(elem, "wp:postmeta"),
        comments=comments,
    )


_CHANNEL_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "description",
    "language": "language",
    "wp:wxr_version": "wxr_version",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
    "pubDate": "pub_date",
    "generator": "generator",
}


def _build(kind, elem):
    if kind == "wp:author":
        return _author(elem)
    if kind == "item":
        return _item(elem)
    return _term(elem, kind)


def read_wxr(source):
    """Yield the Channel, then each Author, Category, Tag, Term and Item of a WXR 1.0–1.2 export.

    ``source`` is a path or a binary file object. Raises WXRError when the file is
    not a WordPress export, is unsafe, truncated or broken, once the reading gets there.
    """
    if isinstance(source, str | Path):
        try:
            raw = open(source, "rb")  # noqa: SIM115 (closed in the finally below)
        except OSError as exc:
            raise WXRError(f"The file could not be opened: {exc.strerror or exc}.") from None
    else:
        raw = source
    try:
        yield from _read(CleanedStream(raw))
    finally:
        if raw is not source:
            raw.close()


def _read(stream):
    parser = DefusedXMLParser(target=ET.TreeBuilder(), forbid_dtd=True)
    events = defused_iterparse(stream, events=("start-ns", "start", "end"), parser=parser)
    namespaces, path, parents = [], [], []
    channel, in_channel, channel_yielded = Channel(), False, False
    try:
        for event, elem in events:
            if event == "start-ns":
                if not in_channel:
                    namespaces.append(elem[1])
                continue
            if event == "start":
                path.append(_name(elem.tag))
                parents.append(elem)
                if len(path) == 1 and path[0] != "rss":
                    raise WXRError(
                        f"This is not a WordPress export (WXR 1.0–1.2) file: it starts with <{path[0]}>, not <rss>."
                    )
                if path == ["rss", "channel"] and not in_channel:
                    _check_namespaces(namespaces)
                    in_channel = True
                elif len(path) == 3 and path[2] in _RECORDS and path[1] == "channel" and not channel_yielded:
                    channel_yielded = True
                    yield channel
                continue
            kind = path.pop()
            parents.pop()
            if len(path) == 2 and path[1] == "channel":
                if kind in _RECORDS:
                    record = _build(kind, elem)
                    # Drop the finished element so memory stays flat however long the file is.
                    parents[-1].clear()
                    yield record
                    continue
                if kind in _CHANNEL_FIELDS and not channel_yielded:
                    setattr(channel, _CHANNEL_FIELDS[kind], "".join(elem.itertext()).strip())
            if 1 <= len(path) <= 2:
                parents[-1].clear()
    except ET.ParseError as exc:
        raise WXRError.from_parse_error(exc, started=bool(path) or in_channel) from None
    except DefusedXmlException:
        raise WXRError(_SAFETY_MESSAGE, line=parser.parser.CurrentLineNumber) from None
    if not in_channel:
        raise WXRError("This is not a WordPress export (WXR 1.0–1.2) file: it has no <channel>.")
    if not channel_yielded:
        yield channel


def _check_namespaces(namespaces):
    if any(_WP_NAMESPACE.match(uri) for uri in namespaces):
        return
    others = [uri for uri in namespaces if "wordpress.org/export" in uri]
    reason = f"it declares {others[0]}, a version this reader does not know" if others else "it has no wp: namespace"
    raise WXRError(f"This is not a WordPress export (WXR 1.0–1.2) file: {reason}.")
