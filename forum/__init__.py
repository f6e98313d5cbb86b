"""Community forum: boards (Wagtail pages) where customers ask and moderators answer."""
