"""Accounts: the user model, profile, roles (groups) and the allauth adapter."""
