from django.db import models


class RestrictedQuerySet(models.QuerySet):
    """NetBox's pattern: the only way views, API, exports and reports obtain rows."""

    def restrict(self, user, action: str = "view"):
        from fupin.core.policy import restrict

        return restrict(self, user, action)


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)
