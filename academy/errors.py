class DomainError(Exception):
    """A rule of the academy was not met. The message is translatable and safe to show.

    `field` names the input at fault, so forms and the API can attach the message to it.
    """

    code = "invalid"

    def __init__(self, message, *, field=None, code=None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def __str__(self):
        return str(self.message)


class PermissionDeniedError(DomainError):
    code = "permission_denied"


class NotFoundError(DomainError):
    code = "not_found"
