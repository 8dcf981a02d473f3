"""Rollups kept current by database triggers, so that reports sum a few rows instead of every registration.

* ``people``: per person (``reports_personrollup``) and per person and trainer (``reports_trainerpersonrollup``),
  and the advisory locks every rollup shares;
* ``groups``: people per kind of person (``reports_peoplegrouprollup``), from the per-person rows and the profiles;
* ``trainers``: people per trainer (``reports_trainerrollup``), from the person × trainer rows;
* ``sessions``: per session (``reports_sessionrollup``);
* ``surveys``: per session and question of the academy's own survey (``reports_surveyrollup``);
* ``tables``: what they share (installing and removing triggers, rebuilding, comparing with the rows).

The models are in ``reports.models.rollups``; the reports read them through ``reports.services.people``
and ``reports.services.session_sums``.
"""
