"""The unit's poster: a QR code of the channel's address, in Chinese, only for units in scope."""

import re

import pytest
import segno

pytestmark = pytest.mark.clock(2026, 11, 10)


def svg_matrix(svg: str) -> tuple[tuple[int, ...], ...]:
    """Read the dark modules back from segno's SVG path (moves and horizontal lines, border 4)."""
    viewbox = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    size = int(viewbox.group(1)) - 8
    grid = [[0] * size for _ in range(size)]
    path = re.search(r' d="([^"]+)"', svg).group(1)
    x = y = 0.0
    for command, dx, dy in re.findall(r"([MmHh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(dx), float(dy)
        elif command == "m":
            x, y = x + float(dx), y + float(dy)
        else:
            length = float(dx)
            for column in range(int(x), int(x + length)):
                grid[int(y) - 4][column - 4] = 1
            x += length
    return tuple(tuple(row) for row in grid)


def test_the_poster_qr_code_encodes_the_channels_address(client_for, leader_branch, team_a, settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "PUBLIC_BASE_URL": "https://fw.example.cn/"}
    response = client_for(leader_branch).get(f"/units/{team_a.pk}/poster/")
    assert response.status_code == 200
    html = response.content.decode()
    url = "https://fw.example.cn/s/team-a/"
    assert f'data-qr-url="{url}"' in html
    assert "Team A" in html and url in html and "https://fw.example.cn/s/track/" in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    expected = segno.make(url, error="m", micro=False)
    assert svg_matrix(svg) == tuple(tuple(row) for row in expected.matrix)
    # and not the matrix of some other address
    assert svg_matrix(svg) != tuple(tuple(row) for row in segno.make(url + "x", error="m", micro=False).matrix)
    assert "style=" not in html


def test_poster_scope(client, client_for, leader_other_branch, cadre_a, team_a):
    url = f"/units/{team_a.pk}/poster/"
    assert client.get(url).status_code == 302  # anonymous → sign in
    assert client_for(leader_other_branch).get(url).status_code == 404
    assert client_for(cadre_a).get(url).status_code == 200
    assert client_for(cadre_a).post(url).status_code == 405
    assert client_for(cadre_a).get("/units/999999/poster/").status_code == 404


def test_the_poster_says_it_in_chinese(client_for, cadre_a, team_a):
    html = client_for(cadre_a).get(f"/units/{team_a.pk}/poster/").content.decode()
    assert 'lang="zh-Hans"' in html
