"""One key per mailbox, however its address is written: what the share limits count."""

import contextlib
import ipaddress
import re

# RFC 5321's dot-atom: a local part that needs no quotes (Django's EmailField accepts no other unquoted).
DOT_ATOM = re.compile(r"[-!#$%&'*+/=?^_`{|}~0-9a-z]+(?:\.[-!#$%&'*+/=?^_`{|}~0-9a-z]+)*\Z", re.IGNORECASE)
# Providers that ignore dots in the local part, and the domain each name stands for.
DOTS_IGNORED = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def recipient_key(email):
    """One mailbox however it is written, so the per-recipient limit counts it once.

    Folds what mail servers deliver to one mailbox: spaces around it, letter case,
    a "+tag", a quoted local part whose content is a plain dot-atom
    (``"victim"``, ``"vic\\tim"`` → ``victim``; any other quoted text is kept,
    unescaped), the domain's case, a trailing dot, its Unicode or punycode spelling
    (both give the same IDNA form, as Django's mail sending uses), an IP literal's
    spelling, and Gmail's dots and googlemail.com alias.
    """
    local, _at, domain = email.strip().rpartition("@")
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        # A quoted-string means its content, each \x meaning x (RFC 5321 quoted-pair).
        local = re.sub(r"\\(.)", r"\1", local[1:-1], flags=re.DOTALL)
        if not DOT_ATOM.match(local):
            local = '"' + local.replace("\\", "\\\\").replace('"', '\\"') + '"'
    local = local.lower()
    if DOT_ATOM.match(local):
        local = local.split("+", 1)[0]
    domain = _domain_key(domain)
    if domain in DOTS_IGNORED:
        local, domain = local.replace(".", ""), DOTS_IGNORED[domain]
    return f"{local}@{domain}"


def _domain_key(domain):
    domain = domain.strip().rstrip(".")  # "example.test." is the same name, rooted
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1]
        with contextlib.suppress(ValueError):
            literal = str(ipaddress.ip_address(re.sub(r"(?i)^ipv6:", "", literal)))
        return f"[{literal}]"
    with contextlib.suppress(UnicodeError):
        # To Unicode and back: punycode and Unicode spellings (any case, full-width) meet in one form.
        domain = domain.encode("idna").decode("idna").encode("idna").decode("ascii")
    return domain.lower()
