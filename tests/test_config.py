import os
import re
from pathlib import Path

import pytest

from etl.config import Settings, get_settings
from etl.errors import ConfigError


def test_defaults(settings):
    assert settings.disclosure_threshold == 5
    assert settings.max_upload_mb == 10
    assert settings.public_mode is False
    assert settings.warehouse_path == settings.data_dir / "processed" / "warehouse.duckdb"
    assert settings.raw_dir == settings.data_dir / "raw"


def test_environment_overrides(settings, monkeypatch, tmp_path):
    monkeypatch.setenv("TILANNEKUVA_THRESHOLD", "10")
    monkeypatch.setenv("TILANNEKUVA_MAX_UPLOAD_MB", "2")
    monkeypatch.setenv("TILANNEKUVA_PUBLIC_MODE", "true")
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(tmp_path / "elsewhere"))
    changed = get_settings()
    assert changed.disclosure_threshold == 10
    assert changed.max_upload_bytes == 2 * 1024 * 1024
    assert changed.public_mode is True
    assert changed.data_dir == Path(tmp_path / "elsewhere").resolve()


@pytest.mark.parametrize("value", ["2", "0", "-5"])
def test_threshold_below_three_is_refused(settings, monkeypatch, value):
    monkeypatch.setenv("TILANNEKUVA_THRESHOLD", value)
    with pytest.raises(ConfigError) as raised:
        get_settings()
    assert "3" in raised.value.message("fi")
    assert "TILANNEKUVA_THRESHOLD" in raised.value.message("sv")


def test_threshold_not_a_number_is_refused(settings, monkeypatch):
    monkeypatch.setenv("TILANNEKUVA_THRESHOLD", "viisi")
    with pytest.raises(ConfigError) as raised:
        get_settings()
    assert "viisi" in raised.value.message("en")


def test_streamlit_upload_limit_is_not_above_the_screening_limit(settings):
    import tomllib

    config = tomllib.loads(Path(".streamlit/config.toml").read_text())
    assert config["server"]["maxUploadSize"] <= settings.max_upload_mb
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["enableXsrfProtection"] is True
    assert config["runner"]["postScriptGC"] is False  # a full collection after every run delayed the next one


def test_every_setting_is_documented():
    source = (Path(__file__).parents[1] / "etl" / "config.py").read_text(encoding="utf-8")
    names = set(re.findall(r'_(?:env|int|bool)\("([A-Z_]+)"', source))
    documented = set(
        re.findall(
            r"`TILANNEKUVA_([A-Z_]+)`",
            (Path(__file__).parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8"),
        )
    )
    assert "PROTECT_WORKERS" in names
    assert names <= documented, sorted(names - documented)


def test_protection_workers_default_to_the_processors_and_can_be_one(settings, monkeypatch):
    monkeypatch.delenv("TILANNEKUVA_PROTECT_WORKERS")  # the suite's own setting (tests/helpers.use_data_dir)
    cores = min(os.cpu_count() or 1, 4)
    assert get_settings().protect_workers == cores
    assert Settings(data_dir=settings.data_dir).protect_workers == cores  # the same without the environment
    monkeypatch.setenv("TILANNEKUVA_PROTECT_WORKERS", "1")
    assert get_settings().protect_workers == 1
