import re
import uuid

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
