"""Knowledge-base hand-off: which KB category a board's answered threads become draft articles in.

The forum depends on kb, never the reverse: the thread stores the article (Thread.kb_article) and
`forum.actions.create_kb_draft` asks kb for the draft (kb.actions.create_draft_article). This module only
maps a board to its category: the one that matches the board's slug in the same language, else that
language's first category.
"""

from kb import queries as kb_queries

# Board slug -> KB category slug (the demo's trees; unknown boards fall back to the first category).
BOARD_CATEGORIES = {
    "e-banking": "personal-ebanking",
    "bank-cards": "bank-cards",
    "credit-cards": "credit-cards",
    "online-funds": "online-funds",
    "phone-banking": "phone-banking",
    "corporate-e-banking": "corporate-ebanking",
}


def category_for(board):
    return kb_queries.category_for_language(board.locale_id, BOARD_CATEGORIES.get(board.slug))
