"""URLs eMAG must reach."""

import ipaddress
from urllib.parse import urlsplit


def is_public_https(url):
    """Whether ``url`` is HTTPS on a public host, which eMAG can download from
    (not localhost, a bare host name, nor a loopback or private address)."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:  # a name: not localhost nor a bare local host name
        return host != "localhost" and not host.endswith(".localhost") and "." in host
