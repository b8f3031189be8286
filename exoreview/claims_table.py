"""Claims as tables: one row a claim, one row a claim × cited study."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .vocab import Vocabulary

CLAIM_DTYPES = {"key": "string", "statement": "string", "file": "string"}
LINK_DTYPES = {"claim": "string", "study": "string", "role": "string"}


def claim_frames(claims: Mapping[str, Mapping[str, Any]],
                 vocab: Vocabulary) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [{"key": k, "statement": c.get("statement"), "file": c.get("_file")}
            for k, c in sorted(claims.items())]
    links = [{"claim": k, "study": s, "role": "cited"}
             for k, c in sorted(claims.items()) for s in (c.get("cites_studies") or [])]
    claims_df = pd.DataFrame(rows, columns=list(CLAIM_DTYPES)).astype(CLAIM_DTYPES)
    links_df = pd.DataFrame(links, columns=list(LINK_DTYPES)).astype(LINK_DTYPES)
    return claims_df, links_df
