"""A file's writer reports rows done of rows to do every chunk and once more at the end."""

from fieldwork.exports import Progress


def test_progress_reports_every_chunk_and_at_the_end():
    seen = []
    progress = Progress(lambda done, total: seen.append((done, total)), every=2)
    progress.expect(5)

    assert list(progress.counted(range(5))) == [0, 1, 2, 3, 4]
    progress.finish()

    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_a_total_guessed_too_low_ends_at_the_rows_done():
    seen = []
    progress = Progress(lambda done, total: seen.append((done, total)))
    progress.expect(1)

    list(progress.counted(range(3)))
    progress.finish()

    assert seen[-1] == (3, 3)
