from django.db import InterfaceError, OperationalError
from django.shortcuts import render

from academy.middleware import unavailable_response


def page_not_found(request, exception=None):
    try:
        return render(request, "404.html", status=404)
    except (OperationalError, InterfaceError):  # the page's header reads site settings from the database
        return unavailable_response(request)


def server_error(request):
    return render(request, "500.html", status=500)
