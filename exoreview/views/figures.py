"""Figures a reviewer reads: timeline, evidence gap map, evidence profile, mode-of-action map,
outcome directions and the regulatory timeline.

Every view is a pure function of an :class:`~exoreview.core.evidence.Evidence`: a ``*_data`` function
computes the tidy numbers, and the plot function draws them with keyword-only options, ``ax=None``
(a new styled Axes when omitted), and returns the Axes. Nothing here calls ``plt.show()`` or
writes a file (that is :mod:`exoreview.views.export`). Every title carries the filter description (pass
``spec=`` or ``caption=``) and the number of studies drawn, and says what was left out.

The views live in :mod:`.timelines` and :mod:`.maps`, the rules with judgement they share (which
records are timeline milestones, how a study's species group is decided) in :mod:`.base`; this
module names them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .base import describe
from .maps import (
    direction_data,
    evidence_profile,
    gap_map,
    gap_map_data,
    mode_of_action,
    mode_of_action_data,
    outcome_directions,
    profile_data,
    species_groups,
)
from .timelines import milestones, regulatory_timeline, timeline, timeline_data

# every figure view by name (the report and the tests call them through this table)
VIEWS: Mapping[str, Callable[..., Any]] = {
    "timeline": timeline,
    "gap-map": gap_map,
    "evidence-profile": evidence_profile,
    "mode-of-action": mode_of_action,
    "outcome-directions": outcome_directions,
    "regulatory-timeline": regulatory_timeline,
}

__all__ = [
    "VIEWS",
    "describe",
    "timeline",
    "timeline_data",
    "milestones",
    "regulatory_timeline",
    "gap_map",
    "gap_map_data",
    "mode_of_action",
    "mode_of_action_data",
    "evidence_profile",
    "profile_data",
    "species_groups",
    "outcome_directions",
    "direction_data",
]
