"""After every other generator: build the rollups the dashboards read."""

from fupin.analytics import rollups
from fupin.core import demo


@demo.generator("analytics", order=1000)
def refresh(ctx: demo.DemoContext) -> str:
    result = rollups.refresh()
    return f"{result.rows:,} rollup rows"
