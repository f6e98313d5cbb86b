"""Search backends behind one interface (search.backends.base): Elasticsearch and the database."""
