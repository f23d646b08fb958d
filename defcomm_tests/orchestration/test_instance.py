"""The project's Dagster instance settings (`.dagster_home/dagster.yaml`), loaded the way `make dev` loads them."""

from dagster import DagsterInstance

from defcomm_tests.paths import ROOT


def test_instance_has_one_writer_pool_and_no_signup_popup(monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(ROOT / ".dagster_home"))
    with DagsterInstance.from_config(str(ROOT / ".dagster_home")) as instance:
        assert instance.nux_enabled is False  # the UI opens without the community sign-up pop-up
        assert instance.telemetry_enabled is False
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
