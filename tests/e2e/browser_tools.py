"""What every browser test does between its steps: wait until Streamlit's script run is over and the page
has drawn, and check that no traceback reached the page."""

APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def settle(page, pause=600):
    """Wait for the script run to end; a shared, loaded machine can take tens of seconds (no timing asserted)."""
    page.wait_for_timeout(pause)
    page.locator("h1").first.wait_for(timeout=120_000)
    page.wait_for_selector(APP_IDLE, timeout=180_000)
    page.wait_for_timeout(pause)


def no_exception(page):
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, exc.first.inner_text()
