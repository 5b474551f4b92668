"""axe-core (tests/a11y/axe.min.js) injected into a Playwright page, and the page's layout shift."""

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "a11y" / "axe.min.js"
FAILING = {"serious", "critical"}

# Collected from the first paint on: every layout shift not caused by the reader's input.
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (entry) { if (!entry.hadRecentInput) { window.__cls += entry.value; } });
}).observe({ type: "layout-shift", buffered: true });
"""


def axe_violations(page):
    """The serious and critical violations of the page as `rule: selector` lines (empty when clean)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['id']} ({rule['impact']}): {node['target']} {node.get('failureSummary', '')[:160]}"
        for rule in result["violations"]
        if rule["impact"] in FAILING
        for node in rule["nodes"]
    ]


def layout_shift(page):
    """The cumulative layout shift measured since the page's init script started observing."""
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    return page.evaluate("() => window.__cls")
