"""Evaluations on the annotated corpora in ../shared/corpora."""
