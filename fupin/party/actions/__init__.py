"""State transitions of party building (Zulip style): one function per transition, atomic, the
acting user as the keyword `user`, every write through the ORM so the change-log signals record
it with that user (and the caller's request id) in the same transaction.

One module per section (`orgs`, `members`, `transfers`, `mobile`, `meetings`, `committees`,
`elections`, and `checks` which they share); every transition is imported here, so callers
write `from fupin.party import actions; actions.appoint(...)` whatever the module.

Refusals are `ActionRefused` (a ValidationError) whose message says what is expected; role and
region refusals are the subclass `NotPermitted`, also a PermissionDenied (a 403 if a view lets
it through). The configurable rules and the derivations live in `rules.py`.

Two writes are checked here rather than by the change-log's scope check, which would refuse
them: accepting a transfer moves a member out of the sender's region into the receiver's (the
receiver cannot see the old row), and covered regions of a joint org have no policy rule of their
own. Both run with the scope check off after the checks in their modules; both are still logged.
"""

from fupin.party.actions.checks import (
    COVERED_LEVELS,
    MEMBER_STAGES,
    ActionRefused,
    NotPermitted,
)
from fupin.party.actions.committees import appoint, end_position
from fupin.party.actions.elections import (
    close_election,
    nominate,
    open_election,
    record_ballots,
    record_recommendations,
    shortlist,
)
from fupin.party.actions.meetings import record_meeting
from fupin.party.actions.members import advance_stage, move_member
from fupin.party.actions.mobile import (
    MobilityRecorded,
    record_contact,
    record_mobility,
    record_return,
)
from fupin.party.actions.orgs import create_org, move_org, set_covered_regions
from fupin.party.actions.transfers import accept_transfer, issue_transfer, return_transfer

__all__ = [
    "COVERED_LEVELS",
    "MEMBER_STAGES",
    "ActionRefused",
    "MobilityRecorded",
    "NotPermitted",
    "accept_transfer",
    "advance_stage",
    "appoint",
    "close_election",
    "create_org",
    "end_position",
    "issue_transfer",
    "move_member",
    "move_org",
    "nominate",
    "open_election",
    "record_ballots",
    "record_contact",
    "record_meeting",
    "record_mobility",
    "record_recommendations",
    "record_return",
    "return_transfer",
    "set_covered_regions",
    "shortlist",
]
