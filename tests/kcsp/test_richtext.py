import re

from hypothesis import given
from hypothesis import strategies as st

from kcsp.richtext import plain_to_html, sanitise_html


def test_sanitiser_keeps_lists_bold_and_links() -> None:
    html = (
        '<p class="MsoNormal" style="color:red">Members <strong>noted</strong> '
        '<a href="https://www.kent.gov.uk/dhr" onclick="steal()">the reviews</a></p>'
        "<ul><li>Sylvie 2018</li><li>Tamana 2018</li></ul>"
    )
    clean = sanitise_html(html)
    assert "<strong>noted</strong>" in clean
    assert '<a href="https://www.kent.gov.uk/dhr" rel="noopener noreferrer">' in clean
    assert "<ul><li>Sylvie 2018</li><li>Tamana 2018</li></ul>" in clean
    assert "class=" not in clean and "style=" not in clean and "onclick" not in clean


def test_sanitiser_strips_scripts_styles_and_dangerous_links() -> None:
    html = (
        "<script>alert(1)</script><style>p{}</style>"
        '<p><a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)></p>'
        "<!-- comment --><p>&nbsp;</p>"
    )
    clean = sanitise_html(html)
    for bad in (
        "<script",
        "alert(1)</",
        "<style",
        "javascript:",
        "<img",
        "onerror",
        "comment",
        "<p>&nbsp;</p>",
    ):
        assert bad not in clean


def test_plain_text_becomes_escaped_paragraphs() -> None:
    assert (
        plain_to_html("One <b>\nline\n\nTwo")
        == "<p>One &lt;b&gt;<br>line</p><p>Two</p>"
    )


EVENT_HANDLER = re.compile(r"<[^>]*\son\w+\s*=", re.IGNORECASE)
fragments = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<p>",
        "<a href='javascript:x'>",
        " onload=",
        "<img ",
        "onerror=alert(1)>",
        "<b>",
        '"',
        "'",
        "<",
        ">",
        "&",
        "<style>",
        "x",
    ]
)


@given(st.lists(st.one_of(fragments, st.text(max_size=5)), max_size=30).map("".join))
def test_sanitiser_never_lets_script_or_handlers_through(text: str) -> None:
    clean = sanitise_html(text)
    assert "<script" not in clean.lower()
    assert "javascript:" not in clean.lower()
    assert not EVENT_HANDLER.search(clean)
