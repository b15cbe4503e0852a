"""The files shipped with the package: sweep specifications and scenarios, found, resolved,
listed and copied; the "did you mean" helper."""

from __future__ import annotations

import pytest

from soviet_cohesion import shipped
from soviet_cohesion.shipped import ShippedError
from soviet_cohesion.suggest import closest, did_you_mean
from soviet_cohesion.sweep import load_spec


def test_every_shipped_spec_is_valid_and_described():
    names = shipped.spec_names()
    assert names == sorted(p.stem for p in shipped.spec_dir().glob("*.toml"))
    for name in names:
        spec = load_spec(shipped.spec_path(name))
        summary = shipped.spec_summary(name)
        assert summary.runs == spec.n_runs > 0
        assert summary.description, f"{name}: no description line"


def test_the_quick_look_spec_is_small():
    assert shipped.spec_summary("quick_look").runs <= 50


def test_resolve_prefers_an_existing_file_then_a_shipped_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert shipped.resolve_spec("smoke") == shipped.spec_dir() / "smoke.toml"
    (tmp_path / "smoke").write_text("")  # a file of that name wins
    assert shipped.resolve_spec("smoke").resolve() == (tmp_path / "smoke").resolve()
    with pytest.raises(ShippedError, match="neither a specification file nor a shipped spec"):
        shipped.resolve_spec("nothing_like_it")


def test_copy_never_overwrites_and_renames_its_copy(tmp_path):
    target = shipped.copy_shipped("spec", "quick_look", tmp_path / "first look.toml")
    assert 'name = "first look"' in target.read_text()
    with pytest.raises(ShippedError, match="already exists"):
        shipped.copy_shipped("spec", "quick_look", target)
    with pytest.raises(ShippedError, match="unknown scenario 'stalinn'; did you mean 'stalin'"):
        shipped.copy_shipped("scenario", "stalinn", tmp_path)


def test_did_you_mean():
    assert did_you_mean("opennes", ["openness", "scarcity"]) == "did you mean 'openness'? "
    assert did_you_mean("zzz", ["openness", "scarcity"]) == ""
    assert closest("scarcty", ("openness", "scarcity")) == "scarcity"
