"""What the project takes for a web address: one check, for what is written and what is shown.

`leakledger add`, leak sheets and Fava's forms (under `leakledger serve`)
refuse a `url:` that is not one, and the published site links only these,
so a `javascript:` or `file:` address never reaches a reader as a link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["URL_KEYS", "url_error", "web_url"]

#: The metadata keys that hold a web address.
URL_KEYS = ("url", "reported-url")


def web_url(text: str) -> str | None:
    """The URL if it is an http(s) URL with a host, else None."""
    text = str(text).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c.isspace() for c in text):
        return text
    return None


def url_error(key: str, value) -> str | None:
    """Why `value` cannot be the `key:` of an entry, in one line; None if it is a web address or blank."""
    text = str(value).strip()
    if not text or web_url(text) is not None:
        return None
    shown = text if len(text) <= 60 else text[:57] + "..."
    return f"{key} {shown!r} is not a web address: give one that starts with https:// or http://"
