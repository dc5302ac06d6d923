"""The import pipeline on a real SQLite file: identity, updates, history, bad input, decks."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from studycards.collection.importing import ImportTarget, import_sources
from studycards.model import DeckSettings, Grade
from studycards.store.cards import card_schedule, card_text
from studycards.store.db import engine, opened
from studycards.store.reviews import answer_card, card_answers
from tests.conftest import rows

GOALS = "chemotherapy-goals.md"


def run(db_path: Path, *paths: Path, now: datetime, deck: str | None = None, **kwargs):
    return import_sources(db_path, [ImportTarget(tuple(paths), deck)], now, **kwargs)


def card_id(db_path: Path, key: str) -> int:
    return rows(db_path, "SELECT id FROM cards WHERE key = ?", key)[0][0]


def answer(db_path: Path, key: str, grade: Grade, now: datetime) -> None:
    with Session(engine(db_path)) as session, session.begin():
        answer_card(session, card_id(db_path, key), grade, now, 4000)


def test_seeds_become_six_cards_in_subject_and_folder_decks(db_path, seeds, now):
    summary = run(db_path, seeds, now=now)
    assert (summary.new, summary.updated, summary.unchanged, summary.failed) == (6, 0, 0, [])
    decks = rows(db_path, "SELECT d.name, count(*) FROM cards c JOIN decks d"
                          " ON d.id = c.deck_id GROUP BY 1 ORDER BY 1")  # fmt: skip
    assert decks == [("Medicine", 2), ("notes", 4)]
    [(front, back, tags, related, url, day)] = rows(
        db_path, "SELECT front, back, tags, related, url, date FROM cards WHERE key = 'id:176440'"
    )
    assert url.endswith("/what-are-the-primary-goals-of-chemotherapy-in-cancer-treatment")
    assert day == "2025-02-17"
    assert front.startswith("What are the primary goals")
    assert "\n\n1. **Cure**" in back
    assert tags.split()[:2] == ["chemotherapy", "cancer_treatment"]
    assert '["176442", "How can dietary recommendations aid in cancer prevention?"]' in related


def test_reimport_unchanged_reports_everything_unchanged_and_writes_nothing(db_path, seeds, now):
    run(db_path, seeds, now=now)

    def disk() -> dict[str, tuple[int, int]]:
        files = db_path.parent.glob(f"{db_path.name}*")  # the database, its -wal and -shm
        return {f.name: (f.stat().st_mtime_ns, f.stat().st_size) for f in files}

    before = disk()
    summary = run(db_path, seeds, now=now + timedelta(hours=1))
    assert (summary.new, summary.updated, summary.unchanged) == (0, 0, 6)
    assert summary.files_unchanged == summary.files == 3
    assert disk() == before


def test_edited_file_updates_text_and_keeps_schedule_and_history(db_path, seeds, now):
    run(db_path, seeds, now=now)
    answer(db_path, "id:176440", Grade.GOOD, now)
    answer(db_path, "id:176440", Grade.GOOD, now + timedelta(days=1))
    ident = card_id(db_path, "id:176440")
    with opened(db_path) as conn:
        schedule_before = card_schedule(conn, ident)
    source = seeds / GOALS
    source.write_text(source.read_text().replace("include:", "are, in short:"))

    summary = run(db_path, seeds, now=now + timedelta(days=2))
    assert (summary.new, summary.updated, summary.unchanged) == (0, 1, 5)
    with opened(db_path) as conn:
        assert "are, in short:" in card_text(conn, ident).back
        assert card_schedule(conn, ident) == schedule_before
    with opened(db_path) as conn:
        assert [answer.grade for answer in card_answers(conn, ident)] == [Grade.GOOD, Grade.GOOD]
    [(created, modified)] = rows(
        db_path, "SELECT created_at, modified_at FROM cards WHERE id = ?", ident
    )
    assert modified > created


def test_moved_file_keeps_its_cards(db_path, seeds, now):
    run(db_path, seeds, now=now)
    answer(db_path, "id:176440", Grade.EASY, now)
    ident = card_id(db_path, "id:176440")
    (seeds / "moved").mkdir()
    (seeds / GOALS).rename(seeds / "moved" / GOALS)
    summary = run(db_path, seeds, now=now)
    assert summary.new == 0 and summary.failed == [] and summary.stale == []
    assert card_id(db_path, "id:176440") == ident
    assert rows(db_path, "SELECT source FROM cards WHERE id = ?", ident) == [
        (str(seeds / "moved" / GOALS),)
    ]
    assert len(rows(db_path, "SELECT * FROM reviews WHERE card_id = ?", ident)) == 1


def test_card_gone_from_its_source_is_reported_then_pruned(db_path, seeds, now):
    run(db_path, seeds, now=now)
    article = seeds / "chemotherapy-vs-immunotherapy.txt"
    text = article.read_text()
    article.write_text(text[: text.index("So what’s the difference?") - 1])
    (seeds / GOALS).unlink()

    summary = run(db_path, seeds, now=now)
    fronts = sorted(card.front for card in summary.stale)
    assert len(fronts) == 3 and fronts[0].startswith("So what’s the difference?")
    assert any(front.startswith("What are the primary goals") for front in fronts)
    assert rows(db_path, "SELECT count(*) FROM cards") == [(6,)]  # reported, not deleted

    summary = run(db_path, seeds, now=now)  # still reported on the next run
    assert sorted(card.front for card in summary.stale) == fronts

    summary = run(db_path, seeds, now=now, prune=True)
    assert summary.pruned == 3
    assert rows(db_path, "SELECT count(*) FROM cards") == [(3,)]
    summary = run(db_path, seeds, now=now)
    assert summary.stale == [] and summary.files_unchanged == 2


def test_prune_removes_stale_cards_of_an_edited_file(db_path, seeds, now):
    run(db_path, seeds, now=now)
    article = seeds / "chemotherapy-vs-immunotherapy.txt"
    text = article.read_text()
    article.write_text(text[: text.index("So what’s the difference?") - 1])
    summary = run(db_path, seeds, now=now, prune=True)
    assert summary.pruned == 2
    assert rows(db_path, "SELECT count(*) FROM cards") == [(4,)]


BAD_FILES = {
    "empty.md": (b"", "empty file"),
    "broken.md": (b"---\nquestion: What?\nanswer: [oops\n---\n", ":4: malformed YAML"),
    "noquestion.md": (b"---\nanswer: lonely\n---\n", "no `question:`"),
    "flag.md": (b"---\nquestion: yes\nanswer: x\n---\n", "`question` must be text"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
    "latin1.md": (b"---\nquestion: caf\xe9?\nanswer: x\n---\n", "not UTF-8"),
}


def test_bad_files_fail_alone_with_a_clear_message(db_path, seeds, now):
    run(db_path, seeds, now=now)
    answer(db_path, "id:176440", Grade.GOOD, now)
    before = rows(db_path, "SELECT * FROM cards ORDER BY id")
    for name, (data, _) in BAD_FILES.items():
        (seeds / name).write_bytes(data)
    good = seeds / "fresh.md"
    good.write_bytes(b"\xef\xbb\xbf---\r\nquestion: Is BOM + CRLF fine?\r\nanswer: Yes.\r\n---\r\n")
    missing = seeds / "does-not-exist.md"

    summary = run(db_path, seeds, missing, now=now)
    messages = {Path(err.path).name: str(err) for err in summary.failed}
    for name, (_, problem) in BAD_FILES.items():
        assert problem in messages[name]
        assert messages[name].startswith(str(seeds / name))
    assert "no such file or folder" in messages["does-not-exist.md"]
    assert summary.new == 1  # the good file went in
    assert rows(db_path, "SELECT back FROM cards WHERE key = 'q:is bom + crlf fine?'") == [
        ("Yes.",)
    ]
    assert (
        rows(db_path, "SELECT * FROM cards WHERE key != 'q:is bom + crlf fine?' ORDER BY id")
        == before
    )
    failed_paths = {str(seeds / name) for name in BAD_FILES}
    assert not [p for (p,) in rows(db_path, "SELECT path FROM sources") if p in failed_paths]


def test_broken_edit_keeps_the_stored_card_as_it_was(db_path, seeds, now):
    run(db_path, seeds, now=now)
    before = rows(db_path, "SELECT * FROM cards WHERE key = 'id:176440'")
    (seeds / GOALS).write_text("---\nid: 176440\nquestion: [broken\n---\n")
    summary = run(db_path, seeds, now=now)
    assert len(summary.failed) == 1 and summary.stale == []
    assert rows(db_path, "SELECT * FROM cards WHERE key = 'id:176440'") == before
    (seeds / GOALS).write_text((Path(__file__).parent.parent / "data" / GOALS).read_text())
    assert run(db_path, seeds, now=now).unchanged == 6  # the good file is read again, not skipped


def test_two_files_with_one_id_in_a_batch(db_path, seeds, now):
    twin = seeds / "twin.md"
    twin.write_text("---\nid: 176440\nquestion: Same id, other file?\nanswer: No.\n---\n")
    summary = run(db_path, seeds, now=now)
    [error] = summary.failed
    assert error.path == twin and "duplicate id 176440" in str(error)
    assert str(seeds / GOALS) in str(error)
    assert summary.new == 6


def test_a_second_file_cannot_take_over_a_live_files_card(db_path, seeds, now):
    run(db_path, seeds, now=now)
    other = seeds.parent / "elsewhere.md"
    other.write_text("---\nid: 176440\nquestion: Hijack?\nanswer: No.\n---\n")
    summary = run(db_path, other, now=now)
    [error] = summary.failed
    assert "duplicate id 176440" in str(error) and str(seeds / GOALS) in str(error)
    assert rows(db_path, "SELECT front FROM cards WHERE key = 'id:176440'")[0][0].startswith(
        "What are"
    )


def test_a_failing_batch_is_retried_file_by_file(db_path, seeds, now, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import studycards.store.cards as store_cards

    real = store_cards.write_files

    def flaky(session, files, now_ms, settings):
        if any(f.path.endswith(GOALS) for f in files):
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return real(session, files, now_ms, settings)

    monkeypatch.setattr(store_cards, "write_files", flaky)
    summary = run(db_path, seeds, now=now)
    [error] = summary.failed
    assert error.path == seeds / GOALS and "could not be stored: disk I/O error" in str(error)
    assert summary.new == 5
    assert rows(db_path, "SELECT count(*) FROM cards WHERE key = 'id:176440'") == [(0,)]


def test_deck_flag_wins_and_nested_decks_create_parents(db_path, seeds, now):
    run(db_path, seeds, now=now, deck="Exams :: Oncology")
    assert rows(db_path, "SELECT name FROM decks ORDER BY name") == [
        ("Exams",),
        ("Exams::Oncology",),
    ]
    assert rows(db_path, "SELECT count(*) FROM cards c JOIN decks d ON d.id = c.deck_id"
                         " WHERE d.name = 'Exams::Oncology'") == [(6,)]  # fmt: skip
    # a different deck rule is a different import: the cards move deck
    summary = run(db_path, seeds, now=now)
    assert summary.updated == 6


def test_preset_settings_are_stored_and_updated(db_path, seeds, now):
    preset = DeckSettings("Oncology", new_per_day=5, learning_steps=(timedelta(minutes=3),))
    target = ImportTarget((seeds,), "Oncology", preset)
    import_sources(db_path, [target], now)
    assert rows(
        db_path, "SELECT new_per_day, learning_steps FROM decks WHERE name = 'Oncology'"
    ) == [(5, "3m")]
    changed = ImportTarget((seeds,), "Oncology", DeckSettings("Oncology", new_per_day=9))
    summary = import_sources(db_path, [changed], now)
    assert summary.files_unchanged == 3
    assert rows(
        db_path, "SELECT new_per_day, learning_steps FROM decks WHERE name = 'Oncology'"
    ) == [(9, "1m 10m")]


def test_big_batches_are_parsed_in_parallel_with_the_same_result(db_path, tmp_path, now):
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(300):
        (folder / f"q{number}.md").write_text(
            f"---\nid: {number}\nquestion: Q{number}?\n"
            f"answer: A{number}\\n\\nmore\nsubject: S{number % 3}\n---\n"
        )
    (folder / "q7.md").write_text("---\nquestion: [\n---\n")
    summary = run(db_path, folder, now=now, workers=2)
    assert summary.new == 299 and len(summary.failed) == 1
    assert rows(db_path, "SELECT back FROM cards WHERE key = 'id:42'") == [("A42\n\nmore",)]
    assert run(db_path, folder, now=now, workers=2).files_unchanged == 299


@pytest.mark.parametrize("size_mb", [5])
def test_answer_of_several_megabytes_imports(db_path, tmp_path, now, size_mb):
    path = tmp_path / "huge.md"
    paragraph = "Cells divide and **grow**. " * 40
    body = "\\n\\n".join([paragraph] * (size_mb * 1_000_000 // len(paragraph)))
    path.write_text(f"---\nquestion: Huge?\nanswer: >-\n    {body}\n---\n")
    summary = run(db_path, path, now=now)
    assert summary.new == 1
    [(length,)] = rows(db_path, "SELECT length(back) FROM cards")
    assert length > size_mb * 900_000


def test_deck_names_are_one_deck_whatever_their_case(db_path, tmp_path, now):
    for name, subject in (("a.md", "medicine"), ("b.md", "Medicine"), ("c.md", "MEDICINE::cells")):
        (tmp_path / name).write_text(
            f"---\nquestion: {name}?\nanswer: A.\nsubject: {subject}\n---\n"
        )
    run(db_path, tmp_path / "a.md", tmp_path / "b.md", now=now)
    run(db_path, tmp_path / "c.md", now=now)
    run(db_path, tmp_path / "a.md", now=now, deck="MEDICINE")
    assert rows(db_path, "SELECT name FROM decks ORDER BY name") == [
        ("Medicine",),
        ("Medicine::cells",),
    ]
    assert rows(db_path, "SELECT count(*) FROM cards GROUP BY deck_id ORDER BY deck_id") == [
        (2,),
        (1,),
    ]


def test_a_decomposed_deck_name_is_the_same_deck(db_path, tmp_path, now):
    composed, decomposed = "Caf\u00e9", "Cafe\u0301"  # macOS folder names come decomposed
    for name, subject in (("a.md", composed), ("b.md", decomposed)):
        (tmp_path / name).write_text(
            f"---\nquestion: {name}?\nanswer: A.\nsubject: {subject}\n---\n"
        )
    run(db_path, tmp_path, now=now)
    assert rows(db_path, "SELECT name FROM decks") == [(composed,)]


def test_a_store_error_without_a_driver_error_fails_its_file_only(db_path, seeds, now, monkeypatch):
    from sqlalchemy.exc import InvalidRequestError  # an SQLAlchemyError with no `orig`

    import studycards.store.cards as store_cards

    real = store_cards.write_files

    def flaky(session, files, now_ms, settings):
        if any(f.path.endswith(GOALS) for f in files):
            raise InvalidRequestError("flush failed")
        return real(session, files, now_ms, settings)

    monkeypatch.setattr(store_cards, "write_files", flaky)
    summary = run(db_path, seeds, now=now)
    [error] = summary.failed
    assert "could not be stored: flush failed" in str(error) and summary.new == 5
