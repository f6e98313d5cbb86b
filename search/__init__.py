"""Search: Elasticsearch documents and lifecycle, the database fallback, the customer search page and agent console."""
