"""The core text comparison: plain data, and the partial that shows it."""

import random

from django.template.loader import render_to_string
from pytest_django.asserts import assertInHTML

from kcsp.diff import Line, Segment, changed_lines, diff_lines, diff_words
from kcsp.richtext import light_to_lines


def _ops(line: Line) -> list[tuple[str, str]]:
    return [(s.op, s.text) for s in line.segments]


def test_a_line_edited_in_place_is_compared_word_by_word() -> None:
    assert diff_words(
        "Domestic abuse is a key priority.",
        "Domestic abuse, including VAWG, is a key priority.",
    ) == (
        Segment("unchanged", "Domestic"),
        Segment("removed", "abuse"),
        Segment("added", "abuse, including VAWG,"),
        Segment("unchanged", "is a key priority."),
    )


def test_every_line_of_both_versions_appears_once_in_order() -> None:
    lines = diff_lines(
        ["Title: Kent CSA", "1. Ms Brinson outlined the review.", "2. Noted."],
        ["Title: Kent CSA", "1. Ms Brinson explained the review.", "a) Agree."],
    )
    assert [line.change for line in lines] == ["unchanged", "changed", "changed"]
    assert _ops(lines[0]) == [("unchanged", "Title: Kent CSA")]
    assert _ops(lines[1]) == [
        ("unchanged", "1. Ms Brinson"),
        ("removed", "outlined"),
        ("added", "explained"),
        ("unchanged", "the review."),
    ]
    assert _ops(lines[2]) == [("removed", "2. Noted."), ("added", "a) Agree.")]


def test_lines_only_in_one_version_are_removed_or_added() -> None:
    lines = diff_lines(["Kept.", "Dropped.", "Also kept."], ["Kept.", "Also kept."])
    assert [(line.change, _ops(line)) for line in lines] == [
        ("unchanged", [("unchanged", "Kept.")]),
        ("removed", [("removed", "Dropped.")]),
        ("unchanged", [("unchanged", "Also kept.")]),
    ]
    [only] = diff_lines([], ["A new paragraph."])
    assert (only.change, _ops(only)) == ("added", [("added", "A new paragraph.")])
    # A run of old lines replaced by a longer run: paired, then added.
    lines = diff_lines(["One."], ["One two.", "Three."])
    assert [line.change for line in lines] == ["changed", "added"]


def test_before_and_after_are_the_two_versions_of_a_line() -> None:
    [line] = diff_lines(["Ms Brinson outlined it."], ["Ms Brinson explained it."])
    assert " ".join(s.text for s in line.before) == "Ms Brinson outlined it."
    assert " ".join(s.text for s in line.after) == "Ms Brinson explained it."
    [added] = diff_lines([], ["New."])
    assert added.before == () and added.after == (Segment("added", "New."),)


def test_changed_lines_leaves_out_what_did_not_change() -> None:
    assert changed_lines(["Same."], ["Same."]) == []
    [line] = changed_lines(["Same.", "Old."], ["Same.", "New."])
    assert _ops(line) == [("removed", "Old."), ("added", "New.")]


def test_text_is_returned_as_given_not_escaped() -> None:
    [line] = diff_lines(["Fish & chips"], ["Fish & <b>chips</b>"])
    assert _ops(line) == [
        ("unchanged", "Fish &"),
        ("removed", "chips"),
        ("added", "<b>chips</b>"),
    ]


def test_a_long_line_is_not_reported_as_rewritten() -> None:
    # In a line of 200 words or more, difflib's automatic junk heuristic
    # ignores every common word, and marks the rest of the line as changed.
    words = ["the", "partnership", "board", "agreed", "noted", "and", "of", "to"]
    rng = random.Random(2022)
    old = [rng.choice(words) for _ in range(240)]
    new = [*old[:100], "resolved", *old[101:]]
    assert diff_words(" ".join(old), " ".join(new)) == (
        Segment("unchanged", " ".join(old[:100])),
        Segment("removed", old[100]),
        Segment("added", "resolved"),
        Segment("unchanged", " ".join(old[101:])),
    )


def test_light_markup_is_compared_by_paragraph_and_list_item() -> None:
    assert light_to_lines(
        "Members **noted** the [report](https://www.kent.gov.uk).\n\n"
        "- first   point\n* second point\n\n\n"
    ) == ["Members noted the report.", "first point", "second point"]


def test_partial_shows_changes_inline_with_words_for_screen_readers() -> None:
    html = render_to_string(
        "includes/diff.html",
        {"lines": changed_lines(["Old words.", "Gone."], ["New words."])},
    )
    assertInHTML(
        '<p class="diff__line diff__line--changed">'
        '<del><span class="visually-hidden">[removed: </span>Old'
        '<span class="visually-hidden">]</span></del> '
        '<ins><span class="visually-hidden">[added: </span>New'
        '<span class="visually-hidden">]</span></ins> words.</p>',
        html,
    )
    assertInHTML(
        '<p class="diff__line diff__line--removed">'
        '<span class="tag tag--exempt">Paragraph removed</span> '
        '<del><span class="visually-hidden">[removed: </span>Gone.'
        '<span class="visually-hidden">]</span></del></p>',
        html,
    )


def test_partial_rows_show_the_versions_side_by_side() -> None:
    html = render_to_string(
        "includes/diff.html#rows",
        {"lines": diff_lines(["Same.", "Old words."], ["Same.", "New words."])},
    )
    assertInHTML(
        '<tr class="diff__row diff__row--unchanged"><td>Same.</td><td>Same.</td></tr>',
        html,
    )
    assertInHTML(
        '<tr class="diff__row diff__row--changed">'
        '<td><del><span class="visually-hidden">[removed: </span>Old'
        '<span class="visually-hidden">]</span></del> words.</td>'
        '<td><ins><span class="visually-hidden">[added: </span>New'
        '<span class="visually-hidden">]</span></ins> words.</td></tr>',
        html,
    )


def test_partial_escapes_the_text() -> None:
    lines = diff_lines(
        ["Fish & chips"], ['Fish & <script>alert("x")</script> chips & peas']
    )
    for html in (
        render_to_string("includes/diff.html", {"lines": lines}),
        render_to_string("includes/diff.html#rows", {"lines": lines}),
    ):
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "Fish &amp;" in html and "&amp; peas" in html
