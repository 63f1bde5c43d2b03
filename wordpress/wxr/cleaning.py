"""Repair a WordPress export's bytes before the XML parser sees them.

Real exports carry what WordPress's own importer forgives: characters XML
forbids (raw or as ``&#…;`` references), invalid UTF-8, a declared legacy
encoding, and HTML entities such as ``&nbsp;`` that XML does not define. The
repair is streaming and gives the same output however the input is chunked.
"""

import codecs
import html.entities
import io
import re

CHUNK_SIZE = 16 * 1024

# Everything outside XML 1.0's Char production, as raw characters.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A reference is only recognised when it ends with ";" within this many characters;
# anything longer is a stray "&". The bound keeps the carried-over tail small.
_MAX_REF = 66
_REFERENCE = re.compile(r"&(?:#([xX])([0-9a-fA-F]{1,60})|#([0-9]{1,60})|([A-Za-z][A-Za-z0-9]{0,60}));")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
# Characters a named entity may stand for that must stay escaped to keep the markup intact.
_KEEP_ESCAPED = frozenset("<>&\"'\t\n\r")
_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_DECLARED_ENCODING = re.compile(r"^(<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2")
_CDATA_OPEN, _CDATA_CLOSE = "<![CDATA[", "]]>"
# Only "&" and "<!" matter outside CDATA and comments; every other "<" passes as it is.
_MARKUP = re.compile("&|<!")
_COMMENT_OPEN, _COMMENT_CLOSE = "<!--", "-->"


def _is_xml_char(codepoint):
    return (
        codepoint in (0x9, 0xA, 0xD)
        or 0x20 <= codepoint <= 0xD7FF
        or 0xE000 <= codepoint <= 0xFFFD
        or 0x10000 <= codepoint <= 0x10FFFF
    )


def _replace_reference(match):
    hex_marker, hex_digits, decimal, name = match.groups()
    if name is not None:
        if name in _XML_ENTITIES:
            return match.group(0)
        text = html.entities.html5.get(name + ";")
        if text is None:
            # An unknown entity stays as the literal text it was written as.
            return "&amp;" + name + ";"
        return "".join(f"&#{ord(char)};" if char in _KEEP_ESCAPED else char for char in text)
    codepoint = int(hex_digits, 16) if hex_marker else int(decimal)
    if not _is_xml_char(codepoint):
        return ""
    # XML only knows a lowercase "x"; "&#X41;" is an error for expat.
    return f"&#x{hex_digits};" if hex_marker else match.group(0)


class TextCleaner:
    """Fix references and entities in XML text fed piece by piece, leaving CDATA and comments alone."""

    def __init__(self):
        self._state = "text"
        self._pending = ""

    def feed(self, text, final=False):
        buffer = self._pending + _FORBIDDEN_CHARS.sub("", text)
        out = []
        pos = 0
        end = len(buffer)
        while pos < end:
            if self._state == "text":
                found = _MARKUP.search(buffer, pos)
                if found is None:
                    # A last "<" may be the start of "<!" in the next piece.
                    stop = end - 1 if buffer.endswith("<") and not final else end
                    out.append(buffer[pos:stop])
                    pos = stop
                    break
                i = found.start()
                out.append(buffer[pos:i])
                pos = i
                if buffer[i] == "<":
                    if end - i < len(_CDATA_OPEN) and not final:
                        break
                    if buffer.startswith(_CDATA_OPEN, i):
                        out.append(_CDATA_OPEN)
                        pos, self._state = i + len(_CDATA_OPEN), "cdata"
                    elif buffer.startswith(_COMMENT_OPEN, i):
                        out.append(_COMMENT_OPEN)
                        pos, self._state = i + len(_COMMENT_OPEN), "comment"
                    else:
                        out.append("<!")
                        pos = i + 2
                    continue
                match = _REFERENCE.match(buffer, i)
                if match:
                    out.append(_replace_reference(match))
                    pos = match.end()
                elif end - i < _MAX_REF and not final:
                    break
                else:
                    # A bare "&" (as in "AT&T") is escaped rather than refused.
                    out.append("&amp;")
                    pos = i + 1
            else:
                closing = _CDATA_CLOSE if self._state == "cdata" else _COMMENT_CLOSE
                j = buffer.find(closing, pos)
                if j >= 0:
                    out.append(buffer[pos : j + len(closing)])
                    pos, self._state = j + len(closing), "text"
                else:
                    # Hold back what could be the start of the closing marker.
                    keep = 0 if final else len(closing) - 1
                    stop = max(pos, end - keep)
                    out.append(buffer[pos:stop])
                    pos = stop
                    break
        self._pending = buffer[pos:]
        if final and self._pending:
            out.append(self._pending)
            self._pending = ""
        return "".join(out)


def _sniff_encoding(head):
    """Name the codec to decode with, from a byte-order mark or the XML declaration (UTF-8 otherwise)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    match = _DECLARATION.match(head)
    if match:
        name = match.group(1).decode("ascii")
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            return "utf-8"
        if codec in ("utf-8", "utf-16", "utf-32") or codec.startswith(("utf-16", "utf-32")):
            # A UTF-16/32 declaration on a file without a byte-order mark is taken as the mislabel it usually is.
            return "utf-8"
        return codec
    return "utf-8"


class CleanedStream:
    """A binary file-like object giving the repaired export as UTF-8, read from ``raw`` in chunks."""

    def __init__(self, raw, chunk_size=CHUNK_SIZE):
        self._raw = raw
        self._chunk_size = chunk_size
        self._decoder = None
        self._cleaner = TextCleaner()
        self._head = b""
        self._out = b""
        self.eof = False

    def _next_text(self):
        data = self._raw.read(self._chunk_size)
        if isinstance(data, str):
            raise TypeError("read_wxr() needs a file opened in binary mode.")
        if self._decoder is None:
            self._head += data
            # Wait for the whole XML declaration before choosing a codec.
            if data and len(self._head) < 1024 and b"?>" not in self._head:
                return ""
            self._decoder = codecs.getincrementaldecoder(_sniff_encoding(self._head))(errors="replace")
            data, self._head = self._head, b""
            text = self._decoder.decode(data, final=not data)
            text = _DECLARED_ENCODING.sub(r'\1"UTF-8"', text, count=1)
        else:
            text = self._decoder.decode(data, final=not data)
        if not data:
            self.eof = True
        return self._cleaner.feed(text, final=not data)

    def read(self, size=-1):
        while not self.eof and (size < 0 or len(self._out) < size):
            self._out += self._next_text().encode("utf-8")
        if size < 0:
            size = len(self._out)
        chunk, self._out = self._out[:size], self._out[size:]
        return chunk


def clean_bytes(data, chunk_size=CHUNK_SIZE):
    """Repair a whole export held in memory (for tests and small files)."""
    stream = CleanedStream(io.BytesIO(data), chunk_size=chunk_size)
    return stream.read()
