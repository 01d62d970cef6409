"""The history section of a page."""


def history_section(html: str) -> str:
    start = html.index("data-history")
    return html[start : html.index("</section>", start)]
