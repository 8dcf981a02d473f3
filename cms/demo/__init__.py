"""Demo site content, one module per concept: `site.py` (home pages, settings, about, news; ORDER 20),
`practices.py` (the best-practice portal; ORDER 25) and `journal.py` (the Municipalitet journal, which
links practices; ORDER 26). seed_demo runs each module of this package by its ORDER."""
