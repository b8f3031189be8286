"""CONTENT TEST: pins answers of the shipped evidence. A curator's valid edit to evidence/ may
change them; update the expectation in the same commit, with the reason."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")


from exoreview.core.filters import Filter  # noqa: E402
from exoreview.views import figures as views


def test_shipped_timeline_marks_the_fda_2019_notification(shipped):
    ms = views.milestones(shipped)
    first = ms.iloc[0]
    assert "fda-2019-psn-exosome-products" in first["keys"]
    assert first["label"] == shipped.regulatory_records["fda-2019-psn-exosome-products"]["title"]


def test_shipped_msc_filter_excludes_dpc_and_includes_adsc(shipped):
    msc = Filter(cell_sources=["MSC"]).apply(shipped)
    adsc = Filter(cell_sources=["ADSC"]).apply(shipped)
    assert set(adsc.studies["key"]) < set(msc.studies["key"])
    assert "rajendran-2017-msc-evs" in set(msc.studies["key"]) - set(adsc.studies["key"])
    assert not (msc.studies["cell_source"].str.contains("dermal papilla")).any()
