"""The CSP is enforced by the browser, and the suite notices when a page breaks it."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_injected_inline_script_and_style_are_blocked_and_reported(
    page, live_server, csp_violations
):
    page.goto(live_server.url + "/")
    ran = page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = 1";
          document.head.appendChild(script);
          return window.__injected === 1;
        }"""
    )
    assert ran is False
    page.evaluate("() => document.body.setAttribute('style', 'background: red')")
    page.wait_for_timeout(200)
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 0, 0)"
    assert any("script-src" in v for v in csp_violations), csp_violations
    assert any("style-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # provoked on purpose: the autouse check must not fail this test
