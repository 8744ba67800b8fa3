"""Hostile uploads (issue 12, finding 3): bounded bytes, real inflated sizes, bounded XML.

``POST /validate`` needs no token, so it is what an attacker reaches first: a 110 KB .docx
holding 31 MB of XML took the server to 1.8 GB before. The server runs in its own process
(:func:`graph.testing.serve`) and its peak RSS (VmHWM) is read from /proc.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from graph import hostile
from graph.testing import serve

TOKEN = "test-token-1b8f0c"  # the token of the `writable` fixture (conftest.py)

BOMBS = {
    "bomb.docx": hostile.docx_bomb,
    "lying.docx": hostile.lying_zip,
    "members.docx": hostile.many_members,
    "deep.docx": hostile.deep_docx,
}
GROWTH_MIB = 120  # generous: the same uploads grew the server by 1.6 GB before


def _mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def test_validate_upload_zip_bomb_bounded(example_data_dir: Path) -> None:
    bombs = {name: make() for name, make in BOMBS.items()}
    with serve(example_data_dir) as server, httpx.Client(timeout=60) as http:
        pid = server.process.pid
        assert http.post(f"{server.url}/validate", files={"file": ("a.txt", b"x")}).is_error
        before = _mib(pid, "VmRSS")

        def post(item: tuple[str, bytes]) -> httpx.Response:
            return http.post(f"{server.url}/validate", files={"file": item})

        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(post, [*bombs.items(), *bombs.items()]))
        peak = _mib(pid, "VmHWM")
        for (name, _), response in zip([*bombs.items(), *bombs.items()], answers, strict=True):
            assert response.status_code == 400, response.text
            assert response.json()["detail"].startswith(f"{name}: corrupt .docx: "), name
        assert peak - before < GROWTH_MIB, (before, peak)


SMALL_BOMBS = {  # under the writable app's 200 kB upload limit, so the readers see them
    "bomb.docx": hostile.docx_bomb,
    "lying.docx": lambda: hostile.lying_zip(20 * 2**20),
    "members.docx": lambda: hostile.many_members(2001),
    "deep.docx": hostile.deep_docx,
}


@pytest.mark.parametrize("name", sorted(SMALL_BOMBS))
def test_post_cards_zip_bomb_refused_and_store_unchanged(writable, name: str) -> None:
    before = writable.get("/services", params={"limit": 1}).json()["total"]
    data = SMALL_BOMBS[name]()
    assert len(data) < 200_000
    response = writable.post(
        "/cards", files={"file": (name, data)}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith(f"{name}: corrupt .docx: ")
    assert writable.get("/services", params={"limit": 1}).json()["total"] == before
