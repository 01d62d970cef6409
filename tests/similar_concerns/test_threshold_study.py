"""The threshold of similar concerns: precision and recall computed from the labelled pairs, compared
with the figures docs/similar_concerns.md gives, and the chosen threshold is the one in the code."""

import re
from pathlib import Path

from fieldwork import text
from tests.similar_concerns.study import MEASURES, pairs, table

DOCS = Path(__file__).resolve().parents[2] / "docs" / "similar_concerns.md"


def documented() -> dict[str, list[tuple]]:
    tables, current = {}, None
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            current = "title" if line.startswith("### Titles") else "title+description"
            tables[current] = []
        match = re.fullmatch(r"\| ([\d.]+) \| (\d+) \| (\d+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \|", line)
        if match and current:
            t, tp, fp, fn, p, r = match.groups()
            tables[current].append((float(t), int(tp), int(fp), int(fn), float(p), float(r)))
    return tables


def test_at_least_fifty_labelled_pairs_of_both_kinds():
    labelled = pairs()
    assert len(labelled) >= 50
    assert 0.3 < sum(p["same"] for p in labelled) / len(labelled) < 0.7
    assert all(p["a"][0] and p["b"][0] for p in labelled)


def test_the_documented_figures_are_the_computed_ones():
    docs = documented()
    assert set(docs) == set(MEASURES)
    for measure in MEASURES:
        assert docs[measure] == table(measure)


def test_the_chosen_threshold_is_the_documented_one_and_the_best_precision_at_its_recall():
    assert "`text.SIMILAR_THRESHOLD = 0.2`" in DOCS.read_text(encoding="utf-8")
    assert text.SIMILAR_THRESHOLD == 0.2
    rows = {row[0]: row for row in table("title")}
    chosen = rows[0.2]
    assert chosen[4] == 1.0 and chosen[5] >= 0.9
    # no threshold reaches the same recall with a better precision
    assert all(row[4] <= chosen[4] for row in rows.values() if row[5] >= chosen[5])


def test_similarity_is_dice_over_character_pairs():
    assert text.text_similarity("宿舍漏水", "宿舍漏水") == 1.0
    assert text.text_similarity("宿舍漏水", "工资拖欠") == 0.0
    # 宿舍屋顶漏水 / 宿舍漏水: pairs {宿舍 舍屋 屋顶 顶漏 漏水} and {宿舍 舍漏 漏水}: 2·2/(5+3)
    assert text.text_similarity("宿舍屋顶漏水", "宿舍漏水") == 0.5
    assert text.text_similarity("宿舍，漏水。", "宿舍漏水") == 1.0  # punctuation does not count
    assert text.text_similarity("", "宿舍") == 0.0
