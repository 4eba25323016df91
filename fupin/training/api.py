"""The training API."""

from ninja import Router

router = Router(tags=["training"])
