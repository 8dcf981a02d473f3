"""Open Badges 3.0 building blocks: keys (keys.py), JSON-LD with shipped contexts (jsonld.py) and
proofs (proofs.py). The credentials themselves are built in certificates/badges.py."""
