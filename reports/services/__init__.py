"""Report figures and feedback rules. Views, the API, exports and tasks only call these."""
