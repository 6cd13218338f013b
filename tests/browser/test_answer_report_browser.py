"""report.html of an answer eval opened from disk in Debian's Chromium: every plot drawn with
a real size, the hostile answer shown as text (the page fixture fails the test on any
dialog, page error or request beyond this machine), and a full-page screenshot in
test-artifacts/answer-report.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evals.answers.html_report import write_html
from tests.browser.harness import PageWatch, browser_test
from tests.evals.answer_results_fixture import HOSTILE_ANSWER, answer_results

pytestmark = browser_test


async def _nonzero_boxes(page: Any, selector: str) -> int:
    """How many elements match; fails unless each has a bounding box of positive size."""
    elements = page.locator(selector)
    count = await elements.count()
    for i in range(count):
        box = await elements.nth(i).bounding_box()
        assert box is not None, f"{selector} #{i} is not rendered"
        assert box["width"] > 0 and box["height"] > 0, f"{selector} #{i} is drawn empty: {box}"
    return count


async def test_the_answer_report_draws_its_plots_in_chromium(
    new_page: Any, watch: PageWatch, artifacts: Path, tmp_path: Path
) -> None:
    results = answer_results()
    path = write_html(results, tmp_path / "report.html")
    page = await new_page(1280, 900)
    await page.goto(path.as_uri())

    metrics_with_turns = [m for m, r in results["metrics"].items() if r["overall"]["n"] > 0]
    # One plot per metric, the latency histogram and the sweep heat map.
    assert await _nonzero_boxes(page, "svg.plot") == len(metrics_with_turns) + 2 == 14
    assert await _nonzero_boxes(page, "svg.metric-plot") == len(metrics_with_turns)
    dots = await _nonzero_boxes(page, "svg.metric-plot circle.dot")
    assert (
        dots == await page.locator("svg.metric-plot line.whisker").count() > len(metrics_with_turns)
    )
    assert await _nonzero_boxes(page, "svg.metric-plot circle.baseline-dot") == len(
        results["comparison"]["rows"]
    )
    filled_bins = sum(1 for count in results["latency"]["histogram"]["counts"] if count)
    bars = page.locator("svg.latency-plot rect.bar")
    heights = [(await bars.nth(i).bounding_box())["height"] for i in range(await bars.count())]
    assert sum(1 for h in heights if h > 0) == filled_bins
    assert await _nonzero_boxes(page, "svg.latency-plot line.quantile") == 2
    assert await _nonzero_boxes(page, "svg.sweep-plot rect.cell") == 6
    assert await _nonzero_boxes(page, "svg.sweep-plot rect.best") == 1

    # The hostile answer is the first worst turn's visible text, not markup.
    assert await page.locator("#worst-turns .answer").first.inner_text() == HOSTILE_ANSWER
    # The prompt stays folded until asked for (no script needed to open it).
    prompt = page.locator("#worst-turns article details").first
    assert not await prompt.locator("pre").first.is_visible()
    await prompt.locator("summary").click()
    assert await prompt.locator("pre").first.is_visible()
    assert [url for _, url, _ in watch.requests] == [path.as_uri()]

    shot = artifacts / "answer-report.png"
    await page.screenshot(path=str(shot), full_page=True, animations="disabled", caret="hide")
    assert shot.stat().st_size > 50_000
