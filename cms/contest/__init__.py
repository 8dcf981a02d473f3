"""The public side of the yearly contest (forms, views) and its admin views; logic in cms/services/contest*.py."""
