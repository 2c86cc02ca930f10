"""The guide's static site (``fhir-regie ig site``) in a real headless Chromium (Debian package).

Every page is loaded over HTTP: it must answer 200, render without a script or console error,
and show content (a heading and text, not an empty shell); every link to another page of the
site must resolve to a file that was written. The content checks (a profile page shows its
invariants with the FHIRPath, its bindings and examples) are in tests/unit/test_ig_site.py.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from fhir_regie.ig.site import build_site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[Path, str]]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (tools/test.sh installs it with apt-get)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    folder = Path(tempfile.mkdtemp(prefix="regie-site-"))
    build_site(folder)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


def test_every_page_renders_and_every_internal_link_resolves(site: tuple[Path, str]) -> None:
    from playwright.sync_api import sync_playwright

    folder, base = site
    pages = sorted(p.name for p in folder.glob("*.html"))
    assert len(pages) > 250  # profiles, extensions, terminology, actors, examples, narrative
    problems: list[str] = []
    linked: set[str] = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=FLAGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" else None)
        for name in pages:
            errors.clear()
            response = page.goto(f"{base}/{name}")
            if response is None or response.status != 200:
                problems.append(f"{name}: HTTP {response.status if response else 'none'}")
                continue
            heading = page.locator("h1").first.inner_text() if page.locator("h1").count() \
                else ""
            text = page.locator("main").inner_text().strip()
            if not heading.strip() or len(text) < 80:
                problems.append(f"{name}: empty page (heading {heading!r}, {len(text)} chars)")
            if errors:
                problems.append(f"{name}: {errors[0]}")
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                parts = urlsplit(href)
                if f"{parts.scheme}://{parts.netloc}" != base:
                    continue
                target = parts.path.lstrip("/") or "index.html"
                linked.add(target)
                if not (folder / target).is_file():
                    problems.append(f"{name}: broken link to {target}")
        browser.close()
    assert not problems, "\n".join(problems[:30])
    # Every page is reachable from some other page (nothing written that nobody links to).
    orphans = sorted(set(pages) - linked - {"index.html"})
    assert not orphans, f"pages no other page links to: {orphans[:10]}"
