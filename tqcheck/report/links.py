"""Links from reports to the documentation site: each finding's rule has a page there.

Under ``TQCHECK_DOCS_URL`` when set, else under :data:`DEFAULT_DOCS_URL`, the ``site_url`` of
``mkdocs.yml``.  The site itself is built by :mod:`tqcheck.docs_gen`.
"""
from __future__ import annotations

import os
from urllib.parse import quote

#: Where the site is published (``site_url`` in ``mkdocs.yml``; a test keeps the two equal).
DEFAULT_DOCS_URL = "https://tqcheck.github.io/tqcheck/"
#: Environment variable that moves the links of reports to another copy of the site (a fork's
#: pages, an intranet mirror, or ``file:///…/build/site/`` for a local build).
DOCS_URL_ENV = "TQCHECK_DOCS_URL"
#: Rule ids made per project from the termbase CSV: they share the termbase section's page.
TERMBASE_PAGE = "ci/#termbase"


def docs_url() -> str:
    """The site's base URL, ending in ``/``."""
    base = os.environ.get(DOCS_URL_ENV, "").strip() or DEFAULT_DOCS_URL
    return base if base.endswith("/") else base + "/"


def rule_url(rule_id: str) -> str:
    """The page of a rule on the site (the termbase section for a termbase rule)."""
    if rule_id.startswith("termbase/"):
        return docs_url() + TERMBASE_PAGE
    return f"{docs_url()}rules/{quote(rule_id, safe='/')}/"
