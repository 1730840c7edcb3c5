"""`.venv/bin/python -m bench.widget_greeting`: how long a visitor waits for the widget's greeting.

Starts the whole assistant (launcher/stack.py) and Debian's Chromium (Playwright). For each
transport ("auto": Socket.IO; "rest": the fallback channel), loads the demo page LOADS times in a
fresh browser context (empty sessionStorage, as a new visitor), French and Dutch in turn, opens
the widget as soon as the page's `load` event has fired, and notes in the page when the greeting
is in the widget. Prints p50/p95 of, from the start of the navigation:
- the page's `load` event (baseline: the host page with the widget's script);
- the greeting shown;
and of the wait between the visitor's click and the greeting. One unmeasured load first warms up
Rasa and the action server for each transport.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.turn_latency import percentile
from launcher.stack import Stack
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

LOADS = 10
GREETING_TIMEOUT_MS = 20_000
# In the page, from its start: when the visitor pressed the bubble, and the first frame where the
# greeting is in the widget's shadow root (performance.now(): ms since the navigation started).
WATCH = """
document.addEventListener('pointerdown', () => { window.benchClick = window.benchClick || performance.now(); }, true);
(function check() {
    const host = document.getElementById('passerelle-widget');
    if (host && host.shadowRoot.querySelector('.from-bot')) window.benchGreeting = performance.now();
    else requestAnimationFrame(check);
})();
"""


def one_load(browser: Browser, web: str, language: str, transport: str) -> dict[str, float]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(WATCH)
        page.goto(f"{web}/widget/demo?lang={language}&transport={transport}", wait_until="load")
        page.locator(".bubble").click()
        page.wait_for_function("window.benchGreeting !== undefined", timeout=GREETING_TIMEOUT_MS)
        load, click, greeting = page.evaluate(
            "[performance.getEntriesByType('navigation')[0].loadEventStart, window.benchClick, window.benchGreeting]"
        )
        return {"page load event": load, "greeting shown": greeting, "click to greeting": greeting - click}
    finally:
        context.close()


def measure(browser: Browser, web: str, transport: str) -> dict[str, list[float]]:
    one_load(browser, web, "fr", transport)
    times: dict[str, list[float]] = {}
    for index in range(LOADS):
        for name, value in one_load(browser, web, ("fr", "nl")[index % 2], transport).items():
            times.setdefault(name, []).append(value)
    return times


def main() -> None:
    results: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as directory, open(os.devnull, "w") as devnull:
        stack = Stack(Path(directory), f"sqlite:///{directory}/tracker.db", devnull)
        try:
            stack.start()
            assert stack.web is not None  # started
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                for transport in ("auto", "rest"):
                    try:
                        results[transport] = measure(browser, stack.web.address, transport)
                    except PlaywrightTimeout as error:
                        print(f"transport {transport}: no greeting within {GREETING_TIMEOUT_MS} ms ({error.message})")
                browser.close()
        finally:
            stack.stop()
    print(f"\nWidget on the demo page: {LOADS} loads per transport, new visitor each time, opened at `load`")
    print(f"{'':<34}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}")
    for transport, times in results.items():
        for name, values in times.items():
            label = f"{transport}: {name}"
            print(
                f"{label:<34}{percentile(values, 0.5):>9.1f}{percentile(values, 0.95):>9.1f}"
                f"{statistics.mean(values):>9.1f}"
            )


if __name__ == "__main__":
    main()
