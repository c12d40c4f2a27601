"""One exception type per cause of failure of an eMAG call.

Callers decide on the type, never on the text: ``retryable`` errors (rate limit,
eMAG server error, network) are worth trying again later; the others need a
person (credentials, whitelisting) or a change of the data sent (validation).
"""


class EmagError(Exception):
    """Base class of every error raised by the eMAG client."""

    retryable = False

    def __init__(self, message, *, route=None, status=None, messages=None, raw=None):
        super().__init__(message)
        self.message = message
        self.route = route
        self.status = status
        self.messages = list(messages or [])
        self.raw = raw

    def __str__(self):
        return self.message


class EmagAuthError(EmagError):
    """HTTP 401/403: wrong credentials, no API rights or IP not whitelisted."""

    def __init__(self, message, *, cause, **kw):
        super().__init__(message, **kw)
        #: "credentials" (401) or "ip_not_whitelisted" (403)
        self.cause = cause


class EmagRateLimited(EmagError):
    """HTTP 429: the account's eMAG rate limit is exhausted; retry later."""

    retryable = True

    def __init__(self, message, *, retry_after, **kw):
        super().__init__(message, **kw)
        #: seconds to wait before the next attempt
        self.retry_after = retry_after


class EmagServerError(EmagError):
    """HTTP 5xx: eMAG failed; the request may or may not have been processed."""

    retryable = True


class EmagNetworkError(EmagError):
    """eMAG could not be reached, or did not answer within the timeout."""

    retryable = True


class EmagProtocolError(EmagError):
    """eMAG answered something that is not a valid envelope.

    The documentation says a call without ``"isError": false`` was most likely
    not interpreted, so it is never treated as a success.
    """


class EmagValidationError(EmagError):
    """``isError: true``: eMAG refused the request; ``messages`` says why."""


class EmagDocumentationError(EmagValidationError):
    """product_offer/save answered ``isError: true`` for a documentation error.

    The eMAG documentation (1.4, 2.4.2) states that in this case the offer is
    saved and processed anyway: the offer exists, its documentation needs work.
    """

    offer_saved = True
