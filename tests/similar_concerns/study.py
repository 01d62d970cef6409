"""The threshold study of similar concerns: precision and recall of text.text_similarity at candidate
thresholds over the labelled pairs of pairs.json (docs/similar_concerns.md holds the table)."""

from __future__ import annotations

import json
from pathlib import Path

from fieldwork.similar import concern_similarity, concern_text
from fieldwork.text import text_similarity

PAIRS = Path(__file__).with_name("pairs.json")
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)


def pairs() -> list[dict]:
    return json.loads(PAIRS.read_text(encoding="utf-8"))


MEASURES = {
    # the one used (similar.concern_similarity): the titles alone
    "title": lambda a, b: concern_similarity(tuple(a), tuple(b)),
    # the one tried first: title and description together
    "title+description": lambda a, b: text_similarity(concern_text(*a), concern_text(*b)),
}


def scores(measure: str = "title") -> list[tuple[float, bool]]:
    return [(MEASURES[measure](p["a"], p["b"]), p["same"]) for p in pairs()]


def table(measure: str = "title") -> list[tuple[float, int, int, int, float, float]]:
    """(threshold, true positives, false positives, false negatives, precision, recall) per threshold."""
    rows = []
    scored = scores(measure)
    for threshold in THRESHOLDS:
        tp = sum(1 for s, same in scored if s >= threshold and same)
        fp = sum(1 for s, same in scored if s >= threshold and not same)
        fn = sum(1 for s, same in scored if s < threshold and same)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        rows.append((threshold, tp, fp, fn, round(precision, 2), round(recall, 2)))
    return rows


if __name__ == "__main__":
    for measure in MEASURES:
        print(measure)
        for row in table(measure):
            threshold, tp, fp, fn, precision, recall = row
            print(f"| {threshold:.2f} | {tp} | {fp} | {fn} | {precision:.2f} | {recall:.2f} |")
