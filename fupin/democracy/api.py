"""The village democracy API."""

from ninja import Router

from fupin.democracy.openness.api import router as openness_router

router = Router(tags=["democracy"])
router.add_router("", openness_router)
