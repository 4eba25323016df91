"""The supervision API."""

from ninja import Router

from fupin.supervision.assessment.api import router as assessment_router

router = Router(tags=["supervision"])
router.add_router("", assessment_router)
