"""axe-core in the browser tests: the vendored copy (tests/e2e/vendor/axe.min.js, no network),
loaded into every page of a Playwright page's context by an init script (not an inline
<script>, so the strict CSP is untouched), and a readable list of WCAG 2.1 A/AA violations."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 8).map((n) => ({
      target: n.target.join(" "),
      summary: (n.failureSummary || "").replace(/\\s+/g, " ").slice(0, 300),
    })),
    count: v.nodes.length,
  }));
}"""


def use_axe(page) -> None:
    """Load axe-core into every document `page` opens from now on."""
    page.add_init_script(path=str(AXE))


def settle(page) -> None:
    """Wait for running transitions to end: under reduced motion the stylesheet leaves every
    element a near-zero transition, and after a colour-scheme switch a computed colour keeps
    its old value until that transition (and the one it sets off in each child) has run —
    axe would read light colours on a dark page."""
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")


def axe_violations(page, label: str) -> list[str]:
    """The WCAG 2.1 A/AA violations axe finds on the page as it is now, one line per node."""
    settle(page)
    lines = []
    for v in page.evaluate(_RUN, WCAG_21_AA):
        for node in v["nodes"]:
            lines.append(
                f"{label}: [{v['id']}/{v['impact']}] {v['help']} ({v['count']} nodes) "
                f"at {node['target']}: {node['summary']}"
            )
    return lines
