"""The look of the site: templates, static files and template tags for the customer site and agent console."""
