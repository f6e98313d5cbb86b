"""The shared hostile test strings (big-list-of-naughty-strings, OWASP XSS vectors): one path for the suite.

PORTAL_TESTDATA names the folder; by default it is `../shared/testdata` from the repository root (the
team's shared folder beside the checkouts). A missing folder fails loudly instead of testing nothing.
"""

import json
import os
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TESTDATA = Path(os.environ.get("PORTAL_TESTDATA") or REPO_ROOT.parent / "shared" / "testdata").resolve()


def path(*parts):
    target = TESTDATA.joinpath(*parts)
    if not target.exists():
        raise FileNotFoundError(f"test data {target} is missing: set PORTAL_TESTDATA to the shared testdata folder")
    return target


@cache
def naughty_strings():
    """big-list-of-naughty-strings (blns.json)."""
    return tuple(json.loads(path("blns", "blns.json").read_text(encoding="utf-8")))


@cache
def xss_vectors():
    """OWASP XSS filter evasion vectors (a list of dicts or strings, as the file holds them)."""
    return tuple(json.loads(path("owasp-xss", "owasp_xss_filter_evasion_vectors.json").read_text(encoding="utf-8")))
