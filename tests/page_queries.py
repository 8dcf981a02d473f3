"""A page fetched as a visitor would, with the number of SQL queries it took (cache tests compare them)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def get_page(client, url):
    """(html, queries) of a GET that must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)
