def only_public_api(endpoints):
    """Keep the schema to /api/v1/; Wagtail's internal admin API is not part of the contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
