"""pytest for qa_pairs.py on small written documents (no torch; this CPU has no pytest, so
`python3 models/train/test_qa_pairs.py` runs the same checks without it)."""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qa_pairs  # noqa: E402

LAW = """示例管理条例

第一章 总则

第一条 为了规范示例活动的管理，保护当事人的合法权益，根据有关法律，制定本条例。

第二条 本条例所称示例机构，是指依法设立、从事示例服务的法人或者其他组织。

第二章 登记

第三条 申请登记的，登记机关应当自收到申请之日起三十日内作出决定。申请人应当提交书面材料。逾期未作决定的，视为同意。

第四条 违反本条例规定的，处5000元以上2万元以下的罚款。情节严重的，责令停业整顿。当事人可以依法申请复议。
"""

BOOK = """CHAPTER I.
The Harbour

The ship came into the harbour on a grey morning. Nobody on the quay had expected her so early in the year. The harbour master ran down the steps with his coat half on. He counted 14 barrels of salt on her deck before she was tied up. The crew said they had been at sea for three weeks without a landfall.

CHAPTER II.
The Town

In the town a Bailiff means the officer who keeps the market and collects its dues. The market had been held on the same square since 1702, and every stall paid $3 a day to the Bailiff. Nobody remembered a year in which the dues had been lowered. The Bailiff kept his book in the back room of the inn.
"""


def pairs_of(text: str, title: str, lang: str) -> list[dict]:
    return qa_pairs.document_pairs(text, title, lang, random.Random(0))


def test_a_law_gives_its_headings_articles_definitions_and_typed_questions() -> None:
    pairs = pairs_of(LAW, "示例管理条例(2020-01-01)", "zh")
    kinds = {p["kind"] for p in pairs}
    assert {"heading", "article", "definition", "typed", "ict"} <= kinds
    heading = next(p for p in pairs if p["kind"] == "heading" and p["query"] == "登记")
    assert heading["passage"].startswith("第三条") and "登记" in heading["before"]
    article = next(p for p in pairs if p["query"] == "《示例管理条例》第三条")
    assert article["passage"].startswith("申请登记的") and "第四条" not in article["passage"]
    definition = next(p for p in pairs if p["kind"] == "definition")
    assert definition["query"] == "什么是示例机构？" and "是指依法设立" in definition["passage"]
    durations = [p for p in pairs if p["kind"] == "typed" and "多长时间" in p["query"]]
    assert durations and all("三十日内" not in p["query"] and "三十日内" in p["passage"] for p in durations)
    sums = [p for p in pairs if p["kind"] == "typed" and "多少钱" in p["query"]]
    assert sums and "5000元" in sums[0]["passage"]


def test_a_novel_gives_chapter_titles_definitions_and_typed_questions() -> None:
    pairs = pairs_of(BOOK, "A Book", "en")
    harbour = next(p for p in pairs if p["kind"] == "heading" and p["query"] == "The Harbour")
    assert harbour["passage"].startswith("The ship came") and "CHAPTER II" not in harbour["passage"]
    assert next(p for p in pairs if p["kind"] == "definition")["query"] == "What does Bailiff mean?"
    typed = [p["query"] for p in pairs if p["kind"] == "typed"]
    assert any("how long" in q and "three weeks" not in q for q in typed)
    assert any("when" in q and "1702" not in q for q in typed)
    assert any("how many" in q and "14" not in q for q in typed)


def test_an_inverse_cloze_passage_mostly_leaves_its_sentence_out() -> None:
    ict = [p for p in pairs_of(BOOK * 5, "A Book", "en") if p["kind"] == "ict"]
    left_out = [p for p in ict if p["query"] not in p["passage"]]
    assert ict and len(left_out) >= 0.7 * len(ict)
    assert all(len(p["passage"]) <= qa_pairs.PASSAGE_CHARS["en"] for p in ict)


def test_the_evaluation_documents_and_the_validation_split_are_held_out() -> None:
    validation = {"gutenberg/literature/classics/little_women.txt"}
    assert qa_pairs.held_out("gutenberg/literature/classics/little_women.txt", validation)
    assert qa_pairs.held_out("laws-zh/民法典/民法典.md", validation)
    assert qa_pairs.held_out("laws-zh/社会法/劳动合同法(2012-12-28).md", validation)
    assert qa_pairs.held_out("gutenberg/literature/classics/pride_and_prejudice.txt", validation)
    assert not qa_pairs.held_out("laws-zh/刑法/刑法.md", validation)


if __name__ == "__main__":
    for name, test in list(globals().items()):
        if name.startswith("test_"):
            test()
            print("ok", name)
