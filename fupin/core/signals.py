"""Signals that let lower layers announce what happened without knowing who listens.

`import_committed` is sent by the import pipeline once an import's transaction has committed
(bulk writes send no per-row `post_save`). Analytics refreshes the rollups of the regions it
names; ingest itself knows nothing of analytics, which sits beside it in the layering.

    import_committed.send(sender=Model, regions=[codes], models={"app.model"}, batch=record)

`regions`: the distinct region codes of the written rows; `models`: the labels of the models
written (what feeds which indicator is the listener's business); `batch`: the batch
ChangeRecord of the import.
"""

from __future__ import annotations

from django.dispatch import Signal

import_committed = Signal()
