"""Settings: defaults < file < environment; one clear line naming the key on any mistake."""
import pytest

from appliance import config
from appliance.config import ConfigError


def load(tmp_path, text=None, env=None):
    path = tmp_path / "config.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return config.load(env=env or {}, default_path=path)


def test_defaults(tmp_path):
    s = load(tmp_path)
    assert s.web.port == 8080 and s.storage.path == "/var/lib/motcua/motcua.db"
    assert s.queue.priority_ratio == "1:2" and s.source == "mặc định"


def test_file_then_environment(tmp_path):
    s = load(tmp_path, '[office]\nname = "UBND phường Thụy Khuê"\nmodel_days = ["tue"]\n[web]\nport = 9000\n',
             env={"MOTCUA_WEB_PORT": "9100", "MOTCUA_GPIO_CALL_BUTTONS": "{ 1 = 5, 2 = 6 }"})
    assert s.office.name == "UBND phường Thụy Khuê"
    assert s.web.port == 9100
    assert s.gpio.call_buttons == {"1": 5, "2": 6}
    assert "biến môi trường" in s.source


def test_explicit_path_and_env_variable(tmp_path):
    p = tmp_path / "other.toml"
    p.write_text("[web]\nport = 7000\n")
    assert config.load(env={"MOTCUA_CONFIG": str(p)}).web.port == 7000
    assert config.load(str(p), env={}).web.port == 7000
    with pytest.raises(ConfigError, match="Không tìm thấy"):
        config.load(str(tmp_path / "missing.toml"), env={})


@pytest.mark.parametrize("text, fragment", [
    ("[web]\nprot = 1\n", "[web].prot"),
    ("[webb]\nport = 1\n", "[webb]"),
    ("[web]\nport = 'tám'\n", "[web].port"),
    ("[web]\nport = 70000\n", "1–65535"),
    ("[queue]\npriority_ratio = '2'\n", "[queue].priority_ratio"),
    ("[office]\nmodel_days = ['thu2']\n", "[office].model_days"),
    ("[office]\nmorning = '11:30-07:30'\n", "[office].morning"),
    ("[printer]\nurl = 'lpt1'\n", "[printer].url"),
    ("[pager]\nprotocol = 'abc'\n", "jtech-j1901"),
    ("[gpio]\ncall_buttons = { 1 = 40 }\n", "[gpio].call_buttons"),
    ("[web\nport = 1\n", "TOML"),
])
def test_mistakes_name_the_key_in_one_line(tmp_path, text, fragment):
    with pytest.raises(ConfigError) as err:
        load(tmp_path, text)
    message = str(err.value)
    assert fragment in message and "\n" not in message.strip()


def test_bad_environment_names_the_variable(tmp_path):
    with pytest.raises(ConfigError, match=r"\[web\]\.port"):
        load(tmp_path, env={"MOTCUA_WEB_PORT": "abc"})
    with pytest.raises(ConfigError, match="MOTCUA_WEB"):
        load(tmp_path, env={"MOTCUA_WEB": "1"})


def test_variables_that_are_not_settings_are_left_alone(tmp_path):
    """The tests' and benches' variables (and any other program's MOTCUA_*) never stop a command."""
    others = {"MOTCUA_TEST_PG": "postgresql://postgres@127.0.0.1:5432", "MOTCUA_BENCH_PG": "postgresql://x",
              "MOTCUA_TEST_CACHE": "/var/cache/x", "MOTCUA_HUB_DATABASE_URL": "sqlite:///hub.db",
              "MOTCUA_DEFER_INIT": "1", "MOTCUA_SOMETHING_ELSE": "1", "PATH": "/usr/bin"}
    s = load(tmp_path, env={**others, "MOTCUA_WEB_PORT": "9100"})
    assert s.web.port == 9100
    assert s.source == "biến môi trường MOTCUA_*"
    assert load(tmp_path, env=others).source == "mặc định"  # nothing of them was read


def test_a_mistyped_setting_in_the_environment_stops_with_its_name(tmp_path):
    with pytest.raises(ConfigError, match=r"MOTCUA_WEB_PROT .*\[web\].*MOTCUA_WEB_PORT") as err:
        load(tmp_path, env={"MOTCUA_WEB_PROT": "9000"})
    assert "\n" not in str(err.value)
    with pytest.raises(ConfigError, match="MOTCUA_WBE_PORT .*có phải ý bạn là MOTCUA_WEB_PORT"):
        load(tmp_path, env={"MOTCUA_WBE_PORT": "9000"})
    with pytest.raises(ConfigError, match="MOTCUA_PRINTR_URL .*MOTCUA_PRINTER_URL"):
        load(tmp_path, env={"MOTCUA_PRINTR_URL": "sim://x"})


def test_the_cli_runs_with_the_test_variables_set(tmp_path):
    import os
    import subprocess
    import sys
    env = {**os.environ, "MOTCUA_TEST_PG": "postgresql://postgres@127.0.0.1:5432",
           "MOTCUA_BENCH_PG": "postgresql://postgres@127.0.0.1:5432", "MOTCUA_CONFIG": str(tmp_path / "c.toml")}
    (tmp_path / "c.toml").write_text(f'[storage]\npath = "{tmp_path / "m.db"}"\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "appliance.cli", "config"], env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert str(tmp_path / "m.db") in r.stdout
    r = subprocess.run([sys.executable, "-m", "appliance.cli", "config"], env={**env, "MOTCUA_WEB_PROT": "1"},
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "MOTCUA_WEB_PROT" in r.stderr and "Traceback" not in r.stderr


def test_describe_lists_every_key_and_parses_back(tmp_path):
    text = config.describe()
    uncommented = "\n".join(line[2:] if line.startswith("# ") and " = " in line else line
                            for line in text.splitlines())
    path = tmp_path / "all.toml"
    path.write_text(uncommented, encoding="utf-8")
    s = config.load(env={}, default_path=path)
    assert s == config.Settings(source=str(path))


def test_cli_prints_one_line_and_exits_2(tmp_path, capsys):
    from appliance import cli
    bad = tmp_path / "bad.toml"
    bad.write_text("[web]\nport = 'x'\n")
    assert cli.main(["--config", str(bad), "init"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("Cấu hình sai [web].port") and "\n" not in err


def test_panel_settings_saved_atomically_and_layered(tmp_path):
    base = config.load(env={}, default_path=tmp_path / "none.toml",
                       overrides={"storage": {"path": str(tmp_path / "db" / "m.db")}})
    new = config.save_panel_settings(base, {"office": {"name": "UBND xã Long Sơn", "model_days": ["mon", "wed"]}})
    assert new.office.name == "UBND xã Long Sơn"
    again = config.load(env={"MOTCUA_STORAGE_PATH": str(tmp_path / "db" / "m.db")}, default_path=tmp_path / "none.toml")
    assert again.office.model_days == ("mon", "wed") and "panel-settings.toml" in again.source
    # device URLs stay in the config file, but for the setup wizard's fixed choices (docs/first-boot.md)
    with pytest.raises(ConfigError, match="printer"):
        config.save_panel_settings(base, {"printer": {"url": "tcp://10.0.0.9:9100"}})
    with pytest.raises(ConfigError, match="gpio"):
        config.save_panel_settings(base, {"gpio": {"fault_led": 4}})
    with pytest.raises(ConfigError, match=r"\[office\].morning"):
        config.save_panel_settings(base, {"office": {"morning": "nine"}})
    assert config.load(env={"MOTCUA_STORAGE_PATH": str(tmp_path / "db" / "m.db")},
                       default_path=tmp_path / "none.toml").office.morning == "07:30-11:30"


def test_replace_round_trips_every_section(tmp_path):
    s = load(tmp_path, '[gpio]\nrating_buttons = { 1 = [12, 16, 20] }\nticket_buttons = { HT = 17 }\n')
    again = s.replace(printer={"url": ""})
    assert again.gpio.rating_buttons == {"1": (12, 16, 20)} and again.printer.url == ""
