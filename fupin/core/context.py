"""Who is acting, and in which request: set by the middleware, the CLI and `acting_as`.

Signals that write the change log read these, so every write path (views, API, admin,
CLI, actions) is recorded with its actor without threading the user through model code.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid

_actor: contextvars.ContextVar = contextvars.ContextVar("fupin_actor", default=None)
_actor_label: contextvars.ContextVar = contextvars.ContextVar("fupin_actor_label", default="system")
_request_id: contextvars.ContextVar = contextvars.ContextVar("fupin_request_id", default="")
_checks: contextvars.ContextVar = contextvars.ContextVar("fupin_scope_checks", default=True)


def current_actor():
    return _actor.get()


def current_actor_label() -> str:
    actor = _actor.get()
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_username()
    return _actor_label.get()


def current_request_id() -> str:
    rid = _request_id.get()
    if not rid:
        rid = uuid.uuid4().hex
        _request_id.set(rid)
    return rid


def scope_checks_enabled() -> bool:
    return _checks.get()


@contextlib.contextmanager
def acting_as(user=None, *, label: str | None = None, request_id: str | None = None,
              scope_checks: bool = True):
    """Run a block as `user` (None: the system, named by `label`, e.g. "cli:demo")."""
    tokens = [
        (_actor, _actor.set(user)),
        (_actor_label, _actor_label.set(label or "system")),
        (_request_id, _request_id.set(request_id or uuid.uuid4().hex)),
        (_checks, _checks.set(scope_checks)),
    ]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def set_actor(user) -> None:
    """Within a request already wrapped by ActorMiddleware: the API's token auth names its user."""
    _actor.set(user)
