"""What ``read_wxr`` yields: one plain record per WXR element, and the error it raises."""

from dataclasses import dataclass, field
from datetime import datetime
from xml.parsers.expat import errors as expat_errors

_TRUNCATION_CODES = frozenset(
    expat_errors.codes[message]
    for message in (
        expat_errors.XML_ERROR_NO_ELEMENTS,
        expat_errors.XML_ERROR_UNCLOSED_TOKEN,
        expat_errors.XML_ERROR_PARTIAL_CHAR,
        expat_errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    )
)
_PLAIN_ERRORS = {
    expat_errors.codes[expat_errors.XML_ERROR_TAG_MISMATCH]: "a closing tag does not match the tag it should close",
    expat_errors.codes[expat_errors.XML_ERROR_INVALID_TOKEN]: "there is a character or tag XML does not allow",
    expat_errors.codes[expat_errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]: "there is text after the end of the export",
    expat_errors.codes[expat_errors.XML_ERROR_SYNTAX]: "the XML syntax is broken",
    expat_errors.codes[expat_errors.XML_ERROR_UNDEFINED_ENTITY]: "it uses an entity XML does not define",
}


class WXRError(Exception):
    """A file that cannot be read as a WordPress export; ``message`` says why in one sentence."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line

    @classmethod
    def from_parse_error(cls, exc, started):
        """Say in plain words what expat's ParseError means; ``started`` is whether any element was seen."""
        line = exc.position[0] if exc.position else None
        if not started and exc.code == expat_errors.codes[expat_errors.XML_ERROR_NO_ELEMENTS]:
            return cls("The file is empty: there is no export in it.", line=line)
        if exc.code in _TRUNCATION_CODES:
            return cls(
                f"The file ends before the export is complete (line {line}): it looks truncated. "
                "Export it again from WordPress and upload the whole file.",
                line=line,
            )
        reason = _PLAIN_ERRORS.get(exc.code, expat_errors.messages.get(exc.code, "the XML is broken"))
        if not started:
            return cls(f"The file is not a WordPress export: it is not XML ({reason}, line {line}).", line=line)
        return cls(f"The file is broken at line {line}: {reason}.", line=line)


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    pub_date: str = ""
    generator: str = ""


@dataclass
class Author:
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str
    wordpress_id: int | None


@dataclass
class Category:
    term_id: int | None
    slug: str
    parent_slug: str
    name: str
    description: str
    meta: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Tag:
    term_id: int | None
    slug: str
    name: str
    description: str
    meta: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Term:
    term_id: int | None
    taxonomy: str
    slug: str
    parent_slug: str
    name: str
    description: str
    meta: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ItemTerm:
    domain: str
    slug: str
    name: str


@dataclass
class Comment:
    wordpress_id: int
    author: str
    author_email: str
    author_url: str
    author_ip: str
    date: datetime | None
    date_gmt: datetime | None
    content: str
    approved: str
    type: str
    parent: int
    user_id: int
    meta: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Item:
    title: str
    link: str
    pub_date: str
    creator: str
    guid: str
    guid_is_permalink: bool
    description: str
    content: str
    excerpt: str
    post_id: int
    post_date: datetime | None
    post_date_gmt: datetime | None
    post_modified_gmt: datetime | None
    comment_status: str
    ping_status: str
    post_name: str
    status: str
    post_parent: int
    menu_order: int
    post_type: str
    post_password: str
    is_sticky: bool
    attachment_url: str
    terms: list[ItemTerm] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    post_modified: datetime | None = None
