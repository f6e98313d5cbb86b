"""The shared core: the building blocks every feature of the portal uses.

Sanitising (the only door to bleach), personal-data masking, rate limits, the client address, image
checks, the anonymous page cache, the strict CSP, Wagtail site lookup and section navigation, staff roles
and the account policy, the one Audience vocabulary and safe JSON-LD. It imports no app of the project
(kb, forum, videos, search, portal.intake, portal.operations, nor the site's URL map): `make lint` holds
that line with import-linter (pyproject.toml, [tool.importlinter]).
"""
