"""Demo content drawn from the seed documents: the catalogue and the people."""
