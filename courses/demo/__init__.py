"""Demo data of the courses app, one module per concept; `manage.py seed_demo` runs each by its ORDER."""
