"""Review logs in the FSRS optimizer's CSV format: good rows, skipped ratings, named errors."""

from __future__ import annotations

import pytest

from studycards.errors import RevlogError
from studycards.sources.revlog import RevlogRow, read_revlog

HEADER = "card_id,review_time,review_rating,review_state,review_duration\n"


def write(tmp_path, text: str, name: str = "revlog.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_are_read_and_ratings_outside_1_to_4_skipped_and_counted(tmp_path):
    path = write(
        tmp_path,
        HEADER + "1,1000,3,0,5000\n1,2000,0,4,0\n2,3000,1,2,\n\n2,4000,5,2,100\n",
    )
    revlog = read_revlog(path)
    assert revlog.rows == [RevlogRow(1, 1000, 3, 0), RevlogRow(2, 3000, 1, 2)]
    assert revlog.skipped == 2


def test_columns_may_come_in_any_order_and_a_bom_is_fine(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(
        "\ufeffreview_rating,card_id,review_time,review_state,review_duration\r\n4,9,77,2,1\r\n".encode()
    )
    assert read_revlog(path).rows == [RevlogRow(9, 77, 4, 2)]


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        ("1,1000,3,0,5000\n1,soon,3,2,1\n", 3, "review_time is not a whole number: 'soon'"),
        ("1,1000,3,0,5000\n1,2000,3\n", 3, "3 fields where the header has 5"),
        ("1,1000,good,0,5000\n", 2, "review_rating is not a whole number"),
        ('1,1000,3,0,"5000\n', 2, "not valid CSV"),
        ("1,1000,3,0,1\n1,-5,3,2,1\n", 3, "review_time -5 is not a time"),
        ("1,253402300799999000,3,0,1\n", 2, "is not a time (milliseconds since 1970)"),
    ],
)
def test_a_malformed_row_names_its_line(tmp_path, body, line, problem):
    path = write(tmp_path, HEADER + body)
    with pytest.raises(RevlogError) as caught:
        read_revlog(path)
    assert f"{path}:{line}: " in str(caught.value)
    assert problem in str(caught.value)


def test_a_header_without_the_columns_is_refused(tmp_path):
    path = write(tmp_path, "id,time,rating\n1,2,3\n")
    with pytest.raises(RevlogError, match="lacks card_id, review_time, review_rating"):
        read_revlog(path)


def test_an_empty_file_binary_file_or_missing_file_says_so(tmp_path):
    with pytest.raises(RevlogError, match="empty file"):
        read_revlog(write(tmp_path, ""))
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    with pytest.raises(RevlogError, match="not UTF-8"):
        read_revlog(binary)
    with pytest.raises(RevlogError, match="cannot be read"):
        read_revlog(tmp_path / "absent.csv")


def test_a_huge_field_is_an_error_not_a_hang(tmp_path):
    path = write(tmp_path, HEADER + "1," + "9" * 200_000 + ",3,0,1\n")
    with pytest.raises(RevlogError, match=":2: not valid CSV"):
        read_revlog(path)
