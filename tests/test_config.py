"""Settings: precedence defaults < file < env < flags; every setting documented."""

from pathlib import Path

import pytest

from crosswire.config import Settings, load_settings
from crosswire.errors import ConfigError

README = Path(__file__).resolve().parents[1] / "README.md"


def test_precedence_defaults_file_env_flags(tmp_path):
    cfg = tmp_path / "crosswire.toml"
    cfg.write_text("workers = 3\nmin_text_chars = 50\ndb = 'file.db'\n")
    s = load_settings(cfg, env={"CROSSWIRE_WORKERS": "4"}, db="flag.db")
    assert (s.min_text_chars, s.workers, s.db) == (50, 4, "flag.db")
    assert load_settings(env={}).workers == Settings().workers


def test_unknown_or_bad_settings_are_named(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("wokers = 3\n")
    with pytest.raises(ConfigError, match="wokers"):
        load_settings(cfg, env={})
    with pytest.raises(ConfigError, match="CROSSWIRE_WORKERS"):
        load_settings(env={"CROSSWIRE_WORKERS": "many"})


def test_every_setting_is_documented_in_code_and_readme():
    readme = README.read_text(encoding="utf-8")
    for name, doc in Settings.documented().items():
        assert doc, f"setting {name} has no documentation"
        assert f"`{name}`" in readme, f"setting {name} is missing from the README's settings table"
