"""One module per channel; each registers a portal.operations.sources.Channel."""
