"""The client's address: the one function every rate limit, audit row and allauth's own limits ask.

Behind a reverse proxy REMOTE_ADDR is the proxy, so keying limits on it puts every customer in one
bucket. Two settings say what the deployment looks like (README, production):

- `PORTAL_TRUSTED_PROXY_COUNT` (default 0): how many proxies of ours stand in front of the app, each
  appending the address it saw to X-Forwarded-For. The client is then the entry that many places from
  the right: what a client writes into the header itself stays to the left and is never believed.
- `PORTAL_CLIENT_IP_HEADER` (default unset): a header the proxy sets to the client address and that a
  client cannot send through it (e.g. "X-Real-IP"); when set, it is used instead.

Anything that is not a valid IP address falls back to REMOTE_ADDR, so a malformed header can neither
break a request nor pick somebody else's bucket.
"""

import ipaddress

from django.conf import settings


def _valid(value):
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443" from some proxies
        value = value[1 : value.index("]")]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request):
    """The address of the client that sent `request`, or None when the server gives none."""
    remote = _valid(request.META.get("REMOTE_ADDR"))
    header = getattr(settings, "PORTAL_CLIENT_IP_HEADER", "")
    if header:
        return _valid(request.headers.get(header)) or remote
    proxies = int(getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.headers.get("X-Forwarded-For")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop for hop in (part.strip() for part in forwarded.split(",")) if hop]
    if len(hops) < proxies:
        # Fewer hops than proxies: the request did not come through all of them; trust only what we see.
        return remote
    return _valid(hops[-proxies]) or remote
