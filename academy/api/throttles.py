from rest_framework import exceptions, status


class LimitReached(exceptions.APIException):
    """429 with the translated message of academy.services.signin_limits.LimitReached and a Retry-After."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, error):
        super().__init__(detail=str(error.message), code="throttled")
        self.wait = error.retry_after  # the exception handler sends it as Retry-After
