"""`studycards anki sync` with 10,000 cards and 100,000 answers, against Anki's own sync server
on 127.0.0.1, with a second Anki collection as the phone. Each figure is a whole process as a
user runs it:

1. the first sync: the notes written into the mirror, a full upload;
2. the phone (full download) answers every card ten times over 300 days (100,000 answers,
   written into its review log) and syncs; then studycards syncs: the answers come back, the
   10,000 cards are replayed and their schedules sent back;
3. the same sync again, nothing new on either side;
4. a collection whose 100,000 answers were made in studycards syncs with an empty account:
   every answer is sent.

Usage: python benchmarks/bench_sync.py [CARDS] [ANSWERS_PER_CARD]
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from anki.collection import Collection
from anki.sync_pb2 import SyncCollectionResponse
from bench_pull import answer_in_anki
from collection import build

USERS = (("one@example.com", "pass one"), ("two@example.com", "pass two"))


def start_server(base: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {"SYNC_HOST": "127.0.0.1", "SYNC_PORT": str(port), "SYNC_BASE": str(base),
                        "RUST_LOG": "error"}  # fmt: skip
    env |= {f"SYNC_USER{n}": f"{user}:{password}" for n, (user, password) in enumerate(USERS, 1)}
    server = subprocess.Popen([sys.executable, "-m", "anki.syncserver"], env=env)
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.05)


def studycards(db_path: Path, home: Path, *args: str, stdin: str = "") -> float:
    """A whole `studycards` process's time, with `home` as its config and data folders."""
    env = os.environ | {"XDG_CONFIG_HOME": str(home / "config"),
                        "XDG_DATA_HOME": str(home / "data")}  # fmt: skip
    command = (sys.executable, "-m", "studycards", "--collection", str(db_path), *args)
    started = time.perf_counter()
    subprocess.run(command, env=env, input=stdin.encode(), check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def sync_phone(phone: Collection, endpoint: str) -> None:
    auth = phone.sync_login(*USERS[0], endpoint)
    out = phone.sync_collection(auth, sync_media=False)
    if out.required == SyncCollectionResponse.FULL_DOWNLOAD:
        phone.close_for_full_sync()
        phone.full_upload_or_download(auth=auth, server_usn=out.server_media_usn, upload=False)
        phone.reopen(after_full_sync=True)


def main() -> None:
    cards = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    per_card = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    now = datetime.now().astimezone()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        server, endpoint = start_server(root / "server")
        try:
            db_path = root / "collection.sqlite"
            build(db_path, cards, now - timedelta(days=400))
            login = ("anki", "login", "--endpoint", endpoint, "--password-stdin", "--user")
            studycards(db_path, root, *login, USERS[0][0], stdin=USERS[0][1])
            first = studycards(db_path, root, "anki", "sync", "--yes")

            phone = Collection(str(root / "phone.anki2"))
            sync_phone(phone, endpoint)
            answers = answer_in_anki(phone, per_card, now)
            sync_phone(phone, endpoint)
            phone.close()
            back = studycards(db_path, root, "anki", "sync")
            again = studycards(db_path, root, "anki", "sync")

            with sqlite3.connect(db_path) as conn:
                conn.execute("UPDATE reviews SET anki_id = NULL")  # as if answered here
                history = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
            conn.close()
            other = root / "other"
            studycards(db_path, other, *login, USERS[1][0], stdin=USERS[1][1])
            sent = studycards(db_path, other, "anki", "sync", "--yes")
        finally:
            server.kill()
    print(f"{cards:,} cards; {answers:,} answers made on the phone")
    print(f"first sync (notes written, full upload): {first:.2f} s")
    print(f"sync bringing the phone's answers back (replay, schedules sent): {back:.2f} s")
    print(f"the same sync again (nothing new): {again:.2f} s")
    print(f"first sync of {history:,} answers made in studycards to an empty account: {sent:.2f} s")


if __name__ == "__main__":
    main()
