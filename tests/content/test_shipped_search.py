"""CONTENT TEST: the shipped search and screening log against the shipped studies. A curator's new
search round changes the numbers; these tests check that it went through the pipeline whole:
every logged export imported, every record decided, every included record a study file and every
study placed in the PRISMA diagram."""

from __future__ import annotations

import pytest
from conftest import EVIDENCE

from exoreview.screening.log import read_log
from exoreview.screening.prisma import counts
from exoreview.screening.searches import read_searches


@pytest.fixture(scope="module")
def flow(shipped):
    return counts(read_log(EVIDENCE), shipped, read_searches(EVIDENCE))


def test_the_search_is_logged_and_every_export_imported(flow):
    searches = read_searches(EVIDENCE)
    assert len(searches.queries) >= 100 and len(searches.by_source()) >= 4
    assert flow.identified >= 200 and dict(flow.exported) == dict(flow.databases)


def test_every_record_is_decided_and_every_box_adds_up(flow):
    assert flow.screen_pending == 0 and flow.full_text_pending == 0
    assert flow.check() == []


def test_every_study_is_placed(flow, shipped):
    assert flow.included == flow.search_studies and flow.links == ()
    assert flow.total_studies == len(shipped.studies) >= 100
    assert flow.other_methods == flow.before_search - flow.found_again
