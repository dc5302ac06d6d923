"""Card identity across files (issue 9, item 4): a clash never drops a file, history follows
moves, and only an `id:` is one file's alone."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from studycards.convert import convert, describe_key
from studycards.model import Grade
from studycards.sources.frontmatter import parse_document
from tests.conftest import rows
from tests.test_importer import answer, run

QUIZ = "# Quiz\n\n#### Q1. {q1}\n\n{a1}\n\n#### Q2. Same in every language?\n\n`{code}`\n"


def quiz(folder: Path, language: str, q1: str, a1: str, code: str = "print(1)") -> Path:
    path = folder / language / "quiz.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(QUIZ.format(q1=q1, a1=a1, code=code))
    return path


def cards_by_source(db_path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for source, front in rows(db_path, "SELECT source, front FROM cards ORDER BY id"):
        found.setdefault(Path(source).parent.name, []).append(front)
    return found


def test_files_sharing_a_title_and_heading_all_keep_their_cards(db_path, tmp_path, now):
    notes = tmp_path / "notes"
    quiz(notes, "en", "What is x?", "A letter.")
    quiz(notes, "fr", "Qu'est-ce que x ?", "Une lettre.")
    quiz(notes, "pt", "O que é x?", "Uma letra.")
    summary = run(db_path, notes, now=now)
    assert summary.failed == [] and summary.new == 6
    assert {source: len(fronts) for source, fronts in cards_by_source(db_path).items()} == {
        "en": 2,
        "fr": 2,
        "pt": 2,
    }
    keys = [key for (key,) in rows(db_path, "SELECT key FROM cards WHERE front LIKE 'Q2.%'")]
    assert len(set(keys)) == 3  # one card per file, told apart
    assert run(db_path, notes, now=now).files_unchanged == 3  # and stable on re-import


def test_which_file_came_first_keeps_the_plain_key_for_good(db_path, tmp_path, now):
    notes = tmp_path / "notes"
    fr = quiz(notes, "fr", "Qu'est-ce que x ?", "Une lettre.")
    run(db_path, fr, now=now)
    first = rows(db_path, "SELECT id, key FROM cards ORDER BY id")
    quiz(notes, "en", "What is x?", "A letter.")  # sorts before fr, comes later
    summary = run(db_path, notes, now=now)
    assert summary.failed == [] and summary.new == 2
    assert rows(db_path, f"SELECT id, key FROM cards WHERE source = '{fr}' ORDER BY id") == first


def test_a_moved_copy_keeps_its_history(db_path, tmp_path, now):
    notes = tmp_path / "notes"
    quiz(notes, "en", "What is x?", "A letter.")
    fr = quiz(notes, "fr", "Qu'est-ce que x ?", "Une lettre.")
    run(db_path, notes, now=now)
    [(copy_id, copy_key)] = rows(
        db_path, f"SELECT id, key FROM cards WHERE source = '{fr}' AND front LIKE 'Q2.%'"
    )
    answer(db_path, copy_key, Grade.GOOD, now)
    moved = notes / "archive" / "francais" / "quiz.md"
    moved.parent.mkdir(parents=True)
    shutil.move(fr, moved)
    summary = run(db_path, notes, now=now)
    assert (summary.failed, summary.new, summary.stale) == ([], 0, [])
    assert rows(db_path, "SELECT source, reps FROM cards WHERE id = ?", copy_id) == [
        (str(moved), 1)
    ]
    assert rows(db_path, "SELECT count(*) FROM reviews WHERE card_id = ?", copy_id) == [(1,)]


def test_an_edited_heading_of_a_copy_is_reported_as_stale(db_path, tmp_path, now):
    notes = tmp_path / "notes"
    quiz(notes, "en", "What is x?", "A letter.")
    fr = quiz(notes, "fr", "Qu'est-ce que x ?", "Une lettre.")
    run(db_path, notes, now=now)
    fr.write_text(fr.read_text().replace("Same in every language?", "Pareil partout ?"))
    summary = run(db_path, notes, now=now)
    assert [card.front for card in summary.stale] == ["Q2. Same in every language?"]
    assert summary.new == 1


def test_two_records_asking_the_same_question_both_become_cards(db_path, tmp_path, now):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("---\nquestion: What is ATP?\nanswer: Energy.\n---\n")
    summary = run(db_path, tmp_path / "a.md", tmp_path / "b.md", now=now)
    assert (summary.failed, summary.new) == ([], 2)


def test_every_file_claiming_a_taken_id_is_reported(db_path, tmp_path, now):
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text(f"---\nid: 7\nquestion: Q {name}?\nanswer: A.\n---\n")
    summary = run(db_path, tmp_path, now=now)
    assert summary.new == 1
    assert sorted(error.path.name for error in summary.failed) == ["b.md", "c.md"]
    assert all("duplicate id 7" in str(error) for error in summary.failed)
    assert all(str(tmp_path / "a.md") in str(error) for error in summary.failed)


def test_a_copy_is_described_with_its_number():
    assert describe_key("section:quiz::q2\x1f3") == "card 'quiz::q2' (copy 3)"


def test_a_full_width_question_mark_makes_a_question_heading():
    article = parse_document(Path("/n/cell.md"), "# 细胞\n\n## 什么是细胞\uff1f\n\n生命的单位。\n")
    [card] = convert(article)
    assert card.front == "什么是细胞\uff1f"


def test_many_files_sharing_every_heading_are_claimed_in_linear_time(db_path, tmp_path, now):
    body = "# T\n\n" + "".join(f"## H{j}\n\nx\n\n" for j in range(100))
    for i in range(200):
        (tmp_path / f"s{i:03}.md").write_text(body)
    started = time.perf_counter()
    summary = run(db_path, tmp_path, now=now)
    assert time.perf_counter() - started < 8  # 1.2 s; 15 s when copies were looked up per card
    assert (summary.new, summary.failed) == (20_000, [])
    assert rows(db_path, "SELECT count(DISTINCT key) FROM cards") == [(20_000,)]


def test_a_moved_file_keeps_its_card_from_a_newcomer_with_the_same_heading(db_path, tmp_path, now):
    notes = tmp_path / "notes"
    notes.mkdir()
    mine = notes / "x.md"
    mine.write_text("# T\n\n## H\n\nmine\n")
    run(db_path, notes, now=now)
    [(card, key)] = rows(db_path, "SELECT id, key FROM cards")
    answer(db_path, key, Grade.GOOD, now)
    moved = notes / "w.md"
    shutil.move(mine, moved)
    (notes / "a.md").write_text("# T\n\n## H\n\nother\n")  # sorts first
    summary = run(db_path, notes, now=now)
    assert (summary.failed, summary.new) == ([], 1)
    assert rows(db_path, "SELECT source, back, reps FROM cards WHERE id = ?", card) == [
        (str(moved), "mine", 1)
    ]
