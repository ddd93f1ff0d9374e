"""Screenshots of the web client's pages (issue 20) into docs/screenshots/, at 1440 px and 390 px wide:

    python scripts/screenshots.py [--out docs/screenshots] [--server URL]      (or: make screenshots)

The workbench of each role, the lists, a page of each kind of record and the dashboards, each as the demo user
who works with it, in Chinese (the default language). Without --server it starts a demo server of its own
(`opsmon serve` on a fresh SQLite database with `opsmon demo`, in a temporary folder, on a free port) and stops it
afterwards. Chromium through Playwright; Debian's fonts-noto-cjk draws the Chinese text.
"""

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_weight import log_in, start_demo_server, stop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = {"1440": (1440, 900), "390": (390, 844)}

# The workbench of each role: (file name, user)
HOMES = [("home-rep", "rep1"), ("home-head", "head1"), ("home-market", "market1"), ("home-assistant", "assistant1"),
         ("home-finance", "finance1"), ("home-lead", "lead1"), ("home-executive", "ceo1"),
         ("home-purchaser", "buyer1"), ("home-admin", "admin")]
# The lists, and the page of the first record each lists: (name, user, list path, record link pattern, its name)
LISTS = [("opportunities", "rep1", "/opportunities/", r"^/opportunities/\d+/$", "opportunity"),
         ("customers", "rep1", "/customers/", r"^/customers/\d+/$", "customer"),
         ("projects", "head1", "/projects/", r"^/projects/\d+/$", "project"),
         ("bids", "assistant1", "/bids/", r"^/bids/\d+/$", "bid"),
         ("bonds", "assistant1", "/bonds/", None, None),
         ("guarantee-letters", "assistant1", "/guarantee-letters/", r"^/guarantee-letters/\d+/$", "guarantee-letter"),
         ("contracts", "head1", "/contracts/", r"^/contracts/\d+/$", "contract"),
         ("receivables", "finance1", "/receivables/", None, None),
         ("inbox", "head1", "/inbox/", None, None),
         ("notifications", "rep1", "/notifications/", None, None)]
DASHBOARDS = [("dashboard", "market1", "/insights/"), ("dashboard-head", "head1", "/insights/"),
              ("dashboard-management", "ceo1", "/insights/management/")]


def shoot(server: str, out: Path) -> list[Path]:
    written: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or None)
        sessions = {}

        def page_of(user: str, width: str):
            key = (user, width)
            if key not in sessions:
                w, h = WIDTHS[width]
                context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1,
                                              locale="zh-CN")
                page = context.new_page()
                log_in(page, server, user)
                sessions[key] = page
            return sessions[key]

        def capture(name: str, user: str, path: str, width: str) -> str | None:
            page = page_of(user, width)
            response = page.goto(server + path, wait_until="networkidle")
            if response is None or response.status != 200:
                print(f"skipped {name} ({path} answered {response.status if response else '-'})")
                return None
            target = out / f"web-{name}-{width}.png"
            page.screenshot(path=str(target), full_page=False)
            written.append(target)
            print("wrote", target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
            return page.content()

        for width in WIDTHS:
            for name, user in HOMES:
                capture(name, user, "/", width)
            for name, user, path, pattern, record in LISTS:
                if capture(name, user, path, width) is None or pattern is None:
                    continue
                hrefs = sessions[(user, width)].eval_on_selector_all(
                    "a[href]", "els => els.map(e => e.getAttribute('href'))")
                first = next((h for h in hrefs if re.match(pattern, h or "")), None)
                if first:
                    capture(f"{record}-detail", user, first, width)
            for name, user, path in DASHBOARDS:
                capture(name, user, path, width)
        browser.close()
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--server", help="a running OpsMon with the demo data (default: start one of our own)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    folder = server_process = None
    server = args.server
    if not server:
        folder = Path(tempfile.mkdtemp(prefix="opsmon-screenshots-"))
        server_process, server = start_demo_server(folder)
    try:
        written = shoot(server.rstrip("/"), out)
    finally:
        if server_process is not None:
            stop(server_process)
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{len(written)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
