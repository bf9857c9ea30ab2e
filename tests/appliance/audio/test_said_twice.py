"""The call is said twice by default ([audio].repeat), after one chime; one or three when configured."""
from __future__ import annotations

import dataclasses

from appliance.audio.plan import announcement_clips
from appliance.web import create_app


def test_the_call_is_said_twice_after_one_chime(client):
    urls = client.get("/audio/announce?number=A015&counter=2").get_json()
    names = [u.rsplit("/", 1)[1].removesuffix(".wav") for u in urls]
    once = announcement_clips("A015", 2, chime=False)
    assert names == [names[0], *once, *once] and names.count("moi_so") == 2 and names[0] not in once


def test_an_office_may_call_once(appliance):
    appliance.settings = dataclasses.replace(appliance.settings,
                                             audio=dataclasses.replace(appliance.settings.audio, repeat=1))
    app = create_app(appliance, {"TESTING": True})
    names = app.test_client().get("/audio/announce?number=A015&counter=2").get_json()
    assert sum(n.endswith("/moi_so.wav") for n in names) == 1


def test_repeat_is_checked(tmp_path):
    import pytest

    from appliance import config
    with pytest.raises(config.ConfigError):
        config.load(env={}, default_path=tmp_path / "none.toml", overrides={"audio": {"repeat": 5}})
