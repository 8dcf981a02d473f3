"""Signing in, signing up and password resets on the public site (and the admin login form)."""
