"""`studycards anki login / logout / sync` against Anki's own sync server (`python -m
anki.syncserver`, started here on 127.0.0.1), with a second Anki collection as the phone:
what is answered on either side reaches the other, a killed sync loses and doubles nothing."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.sync import SyncAuth
from anki.sync_pb2 import SyncCollectionResponse

from studycards.cli.location import sync_places
from studycards.collection.reviewing import StudySession
from studycards.collection.syncing import sync_with_anki
from studycards.errors import StudycardsError, SyncError
from studycards.export.identity import note_guid
from studycards.model import Grade
from studycards.scheduler.day import study_day
from studycards.store.cards import suspend_card
from studycards.store.db import writing
from studycards.store.reviews import answer_card
from studycards.tui.app import make_app
from studycards.tui.screens.dialogs import ConfirmDialog
from tests.conftest import rows, study
from tests.test_anki_pull import replayed_equals_stored
from tests.test_cli import invoke
from tests.tui.conftest import notes

USER, PASSWORD = "learner@example.com", "correct horse"
OTHER_USER, OTHER_PASSWORD = "flatmate@example.com", "battery staple"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path) -> Iterator[str]:
    """Anki's sync server on a free local port, with one account; its address."""
    port = free_port()
    env = os.environ | {
        "SYNC_USER1": f"{USER}:{PASSWORD}",
        "SYNC_USER2": f"{OTHER_USER}:{OTHER_PASSWORD}",
        "SYNC_HOST": "127.0.0.1",
        "SYNC_PORT": str(port),
        "SYNC_BASE": str(tmp_path / "server"),
        "RUST_LOG": "error",
    }
    process = subprocess.Popen([sys.executable, "-m", "anki.syncserver"], env=env)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "no sync server"
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    process.kill()
    process.wait()


@pytest.fixture
def now() -> datetime:
    """The real time: Anki's engine (the phone, the server) dates every answer by it."""
    return datetime.now().astimezone()


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """Config and data folders of this test's own (the saved login, the mirror)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture
def synced(db_path, seeds, now, server, home) -> str:
    """The seed cards imported, logged in, and sent to the server by a first sync."""
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    login = invoke(db_path, now, *login_args(server), input=PASSWORD + "\n")
    assert login.exit_code == 0, login.output
    first = invoke(db_path, now, "anki", "sync", "--yes")
    assert first.exit_code == 0, first.output
    assert "full upload" in first.output and "notes written" in first.output
    return server


def login_args(server: str, user: str = USER) -> tuple[str, ...]:
    return ("anki", "login", "--endpoint", server, "--user", user, "--password-stdin")


class Phone:
    """A second Anki collection syncing with the same account: AnkiDroid, say."""

    def __init__(self, path: Path, server: str, user: str = USER, password: str = PASSWORD) -> None:
        path.parent.mkdir(exist_ok=True)
        self.col = Collection(str(path))
        self.auth: SyncAuth = self.col.sync_login(user, password, server)

    def sync(self, upload: bool = False) -> None:
        """A sync; a full one downloads, unless `upload` (as the user would choose)."""
        out = self.col.sync_collection(self.auth, sync_media=False)
        full = (SyncCollectionResponse.FULL_DOWNLOAD, SyncCollectionResponse.FULL_SYNC,
                SyncCollectionResponse.FULL_UPLOAD)  # fmt: skip
        if out.required in full:
            self.col.close_for_full_sync()
            upload = upload or out.required == SyncCollectionResponse.FULL_UPLOAD
            self.col.full_upload_or_download(
                auth=self.auth, server_usn=out.server_media_usn, upload=upload
            )
            self.col.reopen(after_full_sync=True)

    def answer(self, *eases: int) -> list[int]:
        """Answer new cards of studycards' notes, one per ease; their ids."""
        new = self.col.find_cards("note:studycards is:new", order=True)
        for card_id, ease in zip(new, eases, strict=False):
            card = self.col.get_card(card_id)
            card.start_timer()
            self.col.sched.answerCard(card, ease)
        return list(new[: len(eases)])

    def review_count(self) -> int:
        return self.col.db.scalar("SELECT count(*) FROM revlog")


@pytest.fixture
def phone(tmp_path, synced) -> Iterator[Phone]:
    """The phone, its collection downloaded from the server."""
    device = Phone(tmp_path / "phone" / "collection.anki2", synced)
    device.sync()
    yield device
    device.col.close()


def sync(db_path, now, *args: str):
    result = invoke(db_path, now, "anki", "sync", *args)
    assert result.exit_code == 0, result.output
    return result


def test_login_keeps_only_the_key_readable_by_the_user_alone(db_path, seeds, now, server, home):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    wrong = invoke(db_path, now, *login_args(server), input="wrong\n")
    assert wrong.exit_code == 1
    assert "refused the user name or password" in wrong.output
    assert "wrong" not in wrong.output.replace("refused", "")
    assert not (home / "config").exists()

    right = invoke(db_path, now, *login_args(server), input=PASSWORD + "\n")
    assert right.exit_code == 0, right.output
    saved = home / "config" / "studycards" / "anki-sync.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    text = saved.read_text()
    assert PASSWORD not in text and USER not in text and '"key"' in text

    assert "logged out" in invoke(db_path, now, "anki", "logout").output
    assert not saved.exists()
    assert "not logged in" in invoke(db_path, now, "anki", "logout").output
    unsaved = invoke(db_path, now, "anki", "sync")
    assert unsaved.exit_code == 1 and "anki login" in unsaved.output


def test_a_server_that_is_down_is_one_clear_line_and_nothing_changes(
    db_path, seeds, now, server, home
):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    closed = f"http://127.0.0.1:{free_port()}/"
    assert invoke(db_path, now, *login_args(server), input=PASSWORD + "\n").exit_code == 0
    saved = home / "config" / "studycards" / "anki-sync.json"
    saved.write_text(saved.read_text().replace(server, closed))
    before = db_path.read_bytes()

    result = invoke(db_path, now, "anki", "sync", "--yes")

    assert result.exit_code == 1
    error = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert error == [
        f"error: cannot reach the sync server {closed.rstrip('/')}: " + error[0].split(": ", 2)[2]
    ]
    assert db_path.read_bytes() == before


def test_a_full_sync_asks_first_and_a_refusal_syncs_nothing(db_path, seeds, now, server, home):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    assert invoke(db_path, now, *login_args(server), input=PASSWORD + "\n").exit_code == 0

    refused = invoke(db_path, now, "anki", "sync", input="n\n")

    assert refused.exit_code == 1
    assert "First sync with this server: studycards' Anki collection replaces" in refused.output
    assert "the full sync was not agreed to" in refused.output
    phone = Phone(home / "phone" / "collection.anki2", server)
    phone.sync()
    assert phone.col.note_count() == 0  # the server still holds nothing
    phone.col.close()


def test_answers_made_on_the_phone_come_back_and_reschedule_once(db_path, now, phone):
    answered = phone.answer(3, 1, 4)
    phone.sync()

    result = sync(db_path, now)

    assert "3 answers from other devices (3 cards rescheduled)" in result.output
    assert rows(db_path, "SELECT count(*) FROM reviews WHERE anki_id IS NOT NULL") == [(3,)]
    assert replayed_equals_stored(db_path)
    again = sync(db_path, now)
    assert "0 answers from other devices" in again.output
    assert rows(db_path, "SELECT count(*) FROM reviews") == [(3,)]
    # studycards' schedules (by replay) are what the phone's cards now carry
    phone.sync()
    reviewed = rows(db_path, "SELECT interval FROM cards WHERE state = 2")
    intervals = phone.col.db.list(
        f"SELECT ivl FROM cards WHERE type = 2 AND id IN ({','.join(map(str, answered))})"
    )
    assert sorted(intervals) == sorted(interval for (interval,) in reviewed)


def test_answers_made_in_studycards_reach_the_phone(db_path, now, phone):
    study(db_path, now, Grade.GOOD, Grade.EASY, duration_ms=4000)

    result = sync(db_path, now)

    assert "2 answers and 2 schedules sent" in result.output
    phone.sync()
    assert phone.review_count() == 2
    ids = {anki_id for (anki_id,) in rows(db_path, "SELECT anki_id FROM reviews")}
    assert set(phone.col.db.list("SELECT id FROM revlog")) == ids
    # Good and Easy, on new cards: Anki's eases 3 and 4, both learning answers
    assert sorted(map(tuple, phone.col.db.all("SELECT ease, type FROM revlog"))) == [(3, 0), (4, 0)]
    cards = phone.col.db.all("SELECT type, queue, ivl FROM cards WHERE reps > 0")
    stored = rows(db_path, "SELECT state, state, interval FROM cards WHERE reps > 0")
    assert sorted(map(tuple, cards)) == sorted(stored)
    # a review card is due on the phone as many days from its today as in studycards
    today = study_day(now, 4)
    in_days = [(date.fromordinal(due) - today).days
               for (due,) in rows(db_path, "SELECT due FROM cards WHERE state = 2")]  # fmt: skip
    phone_days = phone.col.db.list(
        "SELECT due - ? FROM cards WHERE type = 2", phone.col.sched.today
    )
    assert in_days and sorted(phone_days) == sorted(in_days)
    assert "0 answers and 0 schedules sent" in sync(db_path, now).output


def test_when_both_sides_answered_a_card_both_logs_decide(db_path, now, phone):
    (answered,) = phone.answer(3)
    phone.sync()
    guid = phone.col.get_card(answered).note().guid
    (card_id,) = [card for card, key in rows(db_path, "SELECT id, key FROM cards")
                  if note_guid(key) == guid]  # fmt: skip
    with writing(db_path) as session:
        answer_card(session, card_id, Grade.AGAIN, now, 4000)

    sync(db_path, now)

    assert rows(db_path, "SELECT count(*) FROM reviews") == [(2,)]
    assert rows(db_path, "SELECT count(DISTINCT card_id) FROM reviews") == [(1,)]
    assert replayed_equals_stored(db_path)
    phone.sync()
    assert phone.review_count() == 2


@pytest.mark.parametrize("step", ["Bringing in", "Writing", "Sending"])
def test_a_sync_killed_half_way_loses_and_doubles_nothing(db_path, now, phone, home, step):
    phone.answer(3, 1)
    phone.sync()
    study(db_path, now, Grade.GOOD, Grade.AGAIN, Grade.EASY, duration_ms=4000)
    env = os.environ | {
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
    }
    command = [sys.executable, "-m", "studycards", "--collection", str(db_path), "anki", "sync"]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith(step):
            process.send_signal(signal.SIGKILL)
            break
    assert process.wait() == -signal.SIGKILL

    sync(db_path, now)
    phone.sync()
    sync(db_path, now)

    assert rows(db_path, "SELECT count(*) FROM reviews") == [(5,)]
    assert rows(db_path, "SELECT count(DISTINCT anki_id) FROM reviews") == [(5,)]
    assert phone.review_count() == 5
    assert replayed_equals_stored(db_path)


def test_a_silent_server_times_out_with_one_clear_line_and_nothing_changes(
    db_path, seeds, now, server, home
):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    assert invoke(db_path, now, *login_args(server), input=PASSWORD + "\n").exit_code == 0
    credentials = home / "config" / "studycards" / "anki-sync.json"
    before = db_path.read_bytes()
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        credentials.write_text(credentials.read_text().replace(server, address))

        with pytest.raises(SyncError) as raised:
            sync_with_anki(db_path, sync_places(db_path), now, lambda full: True, timeout_s=1)

    assert str(raised.value) == (
        f"cannot reach the sync server {address.rstrip('/')}: Connection timed out"
    )
    assert db_path.read_bytes() == before


async def wait_until(pilot, condition) -> None:
    """Pause the pilot until `condition()` holds (a sync runs for a second or so)."""
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


async def test_s_on_the_deck_list_syncs_and_asks_before_a_full_sync(
    db_path, seeds, now, server, home
):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    assert invoke(db_path, now, *login_args(server), input=PASSWORD + "\n").exit_code == 0
    app = make_app(db_path, lambda: now, sync=sync_places(db_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Sync with Anki" in [
            b.binding.description for b in app.screen.active_bindings.values() if b.enabled
        ]
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: notes(app, "Synced"))
        assert "notes written; full upload" in notes(app, "Synced")[0].message
    phone = Phone(home / "phone" / "collection.anki2", server)
    phone.sync()
    assert phone.col.note_count() == 6
    phone.col.close()


async def test_no_sync_key_without_anki_s_engine(db_path, seeds, now):
    assert invoke(db_path, now, "import", str(seeds)).exit_code == 0
    app = make_app(db_path, lambda: now)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Sync with Anki" not in [
            b.binding.description for b in app.screen.active_bindings.values() if b.enabled
        ]


def test_another_account_gets_a_mirror_of_its_own(db_path, now, phone, server, home):
    private = phone.col.new_note(phone.col.models.by_name("Basic"))
    private["Front"] = "a diary entry"
    phone.col.add_note(private, phone.col.decks.id("Private"))
    phone.sync()
    sync(db_path, now)
    assert invoke(db_path, now, "anki", "logout").exit_code == 0
    login = invoke(db_path, now, *login_args(server, OTHER_USER), input=OTHER_PASSWORD + "\n")
    assert login.exit_code == 0

    asked = invoke(db_path, now, "anki", "sync")  # no terminal to ask on: refused

    assert "First sync with this server" in asked.output
    sync(db_path, now, "--yes")
    flatmate = Phone(home / "flatmate" / "collection.anki2", server, OTHER_USER, OTHER_PASSWORD)
    flatmate.sync()
    assert flatmate.col.note_count() == 6  # studycards' notes, not the first account's diary
    assert not flatmate.col.find_notes("diary")
    flatmate.col.close()


def test_a_second_sync_at_the_same_time_is_refused_in_one_line(db_path, now, synced, home):
    (lock,) = (home / "data" / "studycards" / "anki-mirror").glob("*/*/sync.lock")
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = invoke(db_path, now, "anki", "sync")
    assert result.exit_code == 1
    assert result.output == "error: another sync of this collection is running; try again\n"


def test_a_damaged_saved_login_is_one_line(db_path, now, synced, home):
    credentials = home / "config" / "studycards" / "anki-sync.json"
    for text in ('{"key": "k", "endpoint": "notaurl"}', '{"key": null, "endpoint": ""}', "{"):
        credentials.write_text(text)
        result = invoke(db_path, now, "anki", "sync")
        assert result.exit_code == 1
        assert result.output == (
            f"error: {credentials} is not a saved login: run `studycards anki login` again\n"
        )


def test_a_sync_before_any_import_contacts_no_server(db_path, now, server, home):
    assert invoke(db_path, now, *login_args(server), input=PASSWORD + "\n").exit_code == 0
    result = invoke(db_path, now, "anki", "sync", "--yes")
    assert result.exit_code == 1 and "no collection yet" in result.output
    assert not (home / "data").exists()


def test_an_answer_synced_to_anki_is_not_undone(db_path, now, phone):
    session = StudySession(db_path, None, now)
    shown = session.next_card(now)
    assert shown is not None
    session.answer(shown.queued, Grade.GOOD, now, 4000)
    sync(db_path, now)

    with pytest.raises(StudycardsError, match="synced since"):
        session.undo(now)

    session.close()
    assert rows(db_path, "SELECT count(*) FROM reviews") == [(1,)]


def test_text_and_deck_changed_in_studycards_reach_the_phone(db_path, seeds, now, phone):
    goals = seeds / "chemotherapy-goals.md"
    text = goals.read_text()
    assert "subject: Medicine" in text
    goals.write_text(text.replace("subject: Medicine", "subject: Pharmacology").replace(
        "answer: >-", "answer: >-\n    Edited in studycards."
    ))  # fmt: skip
    later = now + timedelta(seconds=5)  # the phone's notes were written just now
    assert invoke(db_path, later, "import", str(seeds)).exit_code == 0

    assert "notes written" in sync(db_path, later).output
    phone.sync()

    (note_id,) = phone.col.find_notes("Edited")
    (card,) = phone.col.get_note(note_id).cards()
    assert phone.col.decks.name(card.did) == "Pharmacology"
    assert "notes written" not in sync(db_path, later).output


def test_a_note_type_changed_on_the_phone_still_takes_studycards_notes(db_path, seeds, now, phone):
    note_type = phone.col.models.by_name("studycards")
    assert note_type is not None
    phone.col.models.add_field(note_type, phone.col.models.new_field("Mnemonic"))
    phone.col.models.update_dict(note_type)
    phone.sync(upload=True)  # a changed note type: a full sync, the phone's side chosen
    (seeds / "new.md").write_text("---\nid: 9\nquestion: Added later?\nanswer: Yes.\n---\n")
    later = now + timedelta(seconds=5)
    assert invoke(db_path, later, "import", str(seeds)).exit_code == 0
    study(db_path, later, Grade.GOOD, duration_ms=4000)

    first = sync(db_path, later, "--yes")

    assert "full download" in first.output and "1 answer and" in first.output
    phone.sync()
    (added,) = phone.col.find_notes("Added")
    assert phone.col.get_note(added).note_type()["name"] == "studycards"
    assert len(phone.col.get_note(added).fields) == 6
    assert phone.review_count() == 1
    settled = sync(db_path, later).output
    assert "0 answers and 0 schedules sent" in settled and "notes written" not in settled


def test_suspending_on_either_side_reaches_the_other(db_path, now, phone):
    on_phone, off_phone = (phone.col.find_cards("note:studycards", order=True))[:2]
    phone.col.sched.suspend_cards([on_phone])
    phone.sync()
    sync(db_path, now)
    assert [key for (key,) in rows(db_path, "SELECT key FROM cards WHERE queue = -1")] == [
        key_of(db_path, phone, on_phone)
    ]
    # suspended in studycards, unsuspended on the phone: each change reaches the other side
    with writing(db_path) as session:
        suspend_card(session, card_id_of(db_path, phone, off_phone))
    phone.col.sched.unsuspend_cards([on_phone])
    phone.sync()

    sync(db_path, now)
    phone.sync()

    assert [key for (key,) in rows(db_path, "SELECT key FROM cards WHERE queue = -1")] == [
        key_of(db_path, phone, off_phone)
    ]
    assert phone.col.db.list("SELECT id FROM cards WHERE queue = -1") == [off_phone]
    assert "0 answers and 0 schedules sent" in sync(db_path, now).output


def test_a_card_forgotten_or_set_due_in_studycards_is_so_on_the_phone(db_path, now, phone):
    from studycards.collection.card_actions import forget, set_due

    first, second = (shown.queued.id for shown in study(db_path, now, Grade.EASY, Grade.EASY))
    sync(db_path, now)
    later = now + timedelta(minutes=1)
    forget(db_path, [first], later)
    set_due(db_path, [second], "9!", later)

    assert "0 answers and 2 schedules sent" in sync(db_path, now).output
    phone.sync()

    by_key = {
        key_of(db_path, phone, card): card for card in phone.col.find_cards("note:studycards")
    }
    keys = dict(rows(db_path, "SELECT id, key FROM cards"))
    forgotten, due = (
        phone.col.get_card(by_key[keys[first]]),
        phone.col.get_card(by_key[keys[second]]),
    )
    assert (forgotten.type, forgotten.queue) == (0, 0)
    assert (due.type, due.ivl, due.due - phone.col.sched.today) == (2, 9, 9)
    assert "0 answers and 0 schedules sent" in sync(db_path, now).output
    assert rows(db_path, "SELECT state FROM cards WHERE id = ?", first) == [(0,)]


def key_of(db_path, phone: Phone, anki_card: int) -> str:
    guid = phone.col.get_card(anki_card).note().guid
    (key,) = [key for (key,) in rows(db_path, "SELECT key FROM cards") if note_guid(key) == guid]
    return key


def card_id_of(db_path, phone: Phone, anki_card: int) -> int:
    (card_id,) = rows(
        db_path, "SELECT id FROM cards WHERE key = ?", key_of(db_path, phone, anki_card)
    )
    return card_id[0]


def test_neither_password_nor_key_is_written_or_shown(db_path, now, phone, home):
    phone.answer(3)
    phone.sync()
    study(db_path, now, Grade.GOOD, duration_ms=4000)
    shown = sync(db_path, now).output
    credentials = home / "config" / "studycards" / "anki-sync.json"
    key = json.loads(credentials.read_text())["key"]

    written = [db_path, *(home / "data").rglob("*")]
    for secret in (PASSWORD, key):
        assert secret not in shown
        for path in written:
            assert not path.is_file() or secret.encode() not in path.read_bytes(), path
