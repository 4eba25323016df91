import re
import uuid

from django.db import transaction

from fupin.core import context

_RID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (or keeps a sane X-Request-ID from the proxy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.headers.get("X-Request-ID", "")
        rid = rid.replace("-", "")[:32] if _RID.match(rid) else uuid.uuid4().hex
        request.id = rid
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


class ActorMiddleware:
    """Makes the logged-in user the actor of every write this request makes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with context.acting_as(actor, label="anonymous", request_id=getattr(request, "id", None)):
            return self.get_response(request)


class WriteTransactionMiddleware:
    """Runs the view of a request that may write (POST, PUT, PATCH, DELETE) in one transaction,
    so the post-save scope check of core.changelog rolls back everything the view wrote.

    Instead of ATOMIC_REQUESTS: on SQLite our transactions begin IMMEDIATE (no deadlock on a read
    upgraded to a write), so wrapping every request took the database's one write lock for the
    whole of every page, and one slow province page made every other request wait and fail.
    Safe methods run in autocommit and never hold the lock. Placed last in MIDDLEWARE, so like
    ATOMIC_REQUESTS it wraps only the view; the response phase of the other middleware (session
    save, lockout) commits on its own."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            return self.get_response(request)

    def process_exception(self, request, exception):
        # The handler turns the view's exception (a ScopeViolation is a PermissionDenied) into a
        # response before it reaches __call__, so the atomic block above would commit: mark it.
        if request.method not in self.SAFE_METHODS and transaction.get_connection().in_atomic_block:
            transaction.set_rollback(True)
        return None
