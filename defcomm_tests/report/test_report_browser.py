"""Open the built report in headless Chromium: no console errors, every chart rendered, five parts present.

Skips when Chromium/chromedriver are missing locally; fails when CI is set (the CI image installs them).
A screenshot is saved to test-artifacts/report.png.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

from defcomm_assets.report import build_report
from defcomm_assets.report.page import SECTIONS
from defcomm_assets.report.sample import OFFICIALS, create_sample_tables
from defcomm_tests.paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "test-artifacts"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("python package selenium")
    if not missing:
        return
    msg = f"headless browser test needs {', '.join(missing)} (apt-get install chromium chromium-driver)"
    if _in_ci():
        pytest.fail(msg + " - required in CI")
    pytest.skip(msg)


@pytest.fixture(scope="module")
def driver():
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="defcomm-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}", "--window-size=1400,1000",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    drv.set_page_load_timeout(60)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver, html_path: Path) -> list[dict]:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(html_path.resolve().as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return driver.get_log("browser")


def _chart_rendered(driver, chart_id: str) -> bool:
    """Plotly drew a sized SVG with marks in it (not just an empty div)."""
    return driver.execute_script(
        "var s=document.querySelector('#'+arguments[0]+' svg.main-svg');"
        "if(!s) return false; var r=s.getBoundingClientRect();"
        "return r.width>100 && r.height>100 && s.querySelectorAll('path,rect,text,image').length>5;",
        chart_id,
    )


def _severe(logs: list[dict]) -> list[str]:
    return [f"{e.get('level')}: {e.get('message')}" for e in logs if e.get("level") == "SEVERE"]


def test_report_renders_in_chromium(driver, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    con = duckdb.connect()
    create_sample_tables(con, n_contacts=60)
    res = build_report(con, tmp_path / "report")
    logs = _open(driver, res.html_path)

    charts = driver.find_elements(By.CSS_SELECTOR, ".plotly-chart")
    ids = sorted(c.get_attribute("id") for c in charts)
    assert ids == ["chart-network", "chart-officials", "chart-timeline", "chart-topics"]

    def rendered(d):
        return all(_chart_rendered(d, cid) for cid in ids)

    WebDriverWait(driver, 30).until(rendered)
    # the data actually reached the charts: one mark per bar / node, country labels on the network
    n_nodes = driver.execute_script(
        "return document.querySelectorAll('#chart-network .scatterlayer .trace:last-child .point').length"
    )
    assert n_nodes == res.n_countries
    labels = driver.execute_script(
        "return Array.from(document.querySelectorAll('#chart-network .textpoint text')).map(t=>t.textContent)"
    )
    assert {"UA", "PL", "NATO"} <= set(labels)
    assert driver.execute_script("return document.querySelectorAll('#chart-timeline .bars .point').length") > 10
    assert driver.execute_script("return document.querySelectorAll('#chart-topics .hm image, #chart-topics .hm').length") > 0

    for sid, title in SECTIONS:
        sec = driver.find_element(By.ID, sid)
        assert sec.find_element(By.TAG_NAME, "h2").text == title
    rows = driver.find_elements(By.CSS_SELECTOR, "#latest-table tbody tr")
    assert len(rows) == 50
    assert "_sample.txt" in rows[0].text
    assert len(driver.find_elements(By.CSS_SELECTOR, "#officials-table tbody tr")) == len(OFFICIALS)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#data-quality tbody tr")) == 6

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1400, min(max(height, 1000), 8000))
    WebDriverWait(driver, 30).until(rendered)
    assert driver.save_screenshot(str(ARTIFACTS / "report.png"))
    assert (ARTIFACTS / "report.png").stat().st_size > 50_000

    logs += driver.get_log("browser")
    assert not _severe(logs), _severe(logs)
    # works offline: the page loaded nothing over the network (no CDN, no fonts, no tiles)
    fetched = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e=>e.name).filter(n=>/^(https?|wss?):/.test(n))"
    )
    assert fetched == []


def test_empty_report_renders_without_errors(driver, tmp_path):
    from selenium.webdriver.common.by import By

    con = duckdb.connect()
    create_sample_tables(con, n_contacts=0)
    res = build_report(con, tmp_path / "empty")
    driver.set_window_size(1400, 1000)
    logs = _open(driver, res.html_path)
    assert not _severe(logs), _severe(logs)
    assert driver.find_elements(By.CSS_SELECTOR, ".plotly-chart") == []
    for sid, _title in SECTIONS:
        assert "No contacts yet" in driver.find_element(By.ID, sid).text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "report_empty.png"))


def test_seeds_report_renders_in_chromium(driver, seeds_db, tmp_path):
    """The report of the real pipeline run on the seeds: the picture an analyst opens after `make run`."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    con = duckdb.connect(str(seeds_db), read_only=True)
    try:
        res = build_report(con, tmp_path / "seeds")
    finally:
        con.close()
    assert res.n_contacts > 0
    logs = _open(driver, res.html_path)
    ids = [c.get_attribute("id") for c in driver.find_elements(By.CSS_SELECTOR, ".plotly-chart")]
    assert "chart-network" in ids and "chart-officials" in ids
    WebDriverWait(driver, 30).until(lambda d: all(_chart_rendered(d, cid) for cid in ids))
    labels = driver.execute_script(
        "return Array.from(document.querySelectorAll('#chart-network .textpoint text')).map(t=>t.textContent)"
    )
    assert {"PL", "UA"} <= set(labels)
    for sid, _title in SECTIONS:
        assert driver.find_element(By.ID, sid).is_displayed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(1400, min(max(driver.execute_script("return document.body.scrollHeight"), 1000), 8000))
    driver.save_screenshot(str(ARTIFACTS / "report_seeds.png"))
    logs += driver.get_log("browser")
    assert not _severe(logs), _severe(logs)


def test_missing_browser_skips_locally_and_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setitem(globals(), "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-chromium"):
        _require_browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        _require_browser()
