"""Sweep specifications: the shipped specs load, bad specs give one line naming file and field,
the design and the per-run seeds depend on the spec alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soviet_cohesion import parameters
from soviet_cohesion.cli import main
from soviet_cohesion.sweep import SpecError, load_spec, parse_spec
from soviet_cohesion.sweep import design as designs
from soviet_cohesion.sweep.seeds import run_seed
from sweep_support import SMALL, write_spec

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"


def small_text(**changes) -> str:
    values = dict(steps=6, replicates=2, n_regions=25, timeseries="false", regions="false", extra_top="")
    values.update(changes)
    return SMALL.format(**values)


# ---------------------------------------------------------------------- the shipped specs
@pytest.mark.parametrize("path", sorted(EXPERIMENTS.glob("*.toml")), ids=lambda p: p.stem)
def test_shipped_specs_load(path):
    spec = load_spec(path)
    assert spec.n_runs >= 1
    assert spec.name == path.stem


def test_shipped_specs_cover_the_issue():
    phase = load_spec(EXPERIMENTS / "phase_diagram.toml")
    assert {f.name for f in phase.factors} == {"punishment_severity", "scarcity"}
    assert phase.sampler.method == "grid" and phase.n_runs <= 10_000
    sobol = load_spec(EXPERIMENTS / "sobol_levers.toml")
    assert sobol.sampler.method == "sobol"
    assert {f.name for f in sobol.sampled_factors if not f.inert} == {
        p.name for p in parameters.PARAMETERS.values() if p.group == "lever"}
    assert [f.name for f in sobol.sampled_factors if f.inert] == ["dummy"]  # the noise floor
    comparison = load_spec(EXPERIMENTS / "scenarios.toml")
    assert comparison.factors[0].name == "scenario" and len(comparison.factors[0].values) == 5
    assert comparison.outputs.timeseries and comparison.replicates >= 50


# ---------------------------------------------------------------------- one-line errors
BAD = {
    "unknown parameter": ("[vary]\nnot_a_lever = [0.1, 0.2]\n", "vary.not_a_lever", "unknown parameter"),
    "value out of range": ("[vary]\nscarcity = [0.1, 1.5]\n", "vary.scarcity", "[0, 1]"),
    "range out of range": ("[vary]\nscarcity = { low = 0.0, high = 2.0, num = 3 }\n", "vary.scarcity.high", "[0, 1]"),
    "fixed out of range": ("[fixed]\nopenness = -1\n", "fixed.openness", "[0, 1]"),
    "fixed unknown": ("[fixed]\nopennes = 0.5\n", "fixed.opennes", "unknown parameter"),
    "unknown sampler": ("[vary]\nscarcity = {}\nopenness = {}\n[sampler]\nmethod = \"sobal\"\n",
                        "sampler.method", "grid, lhs, sobol, morris"),
    "sobol n not a power of 2": ("[vary]\nscarcity = {}\nopenness = {}\n[sampler]\nmethod = \"sobol\"\nn = 100\n",
                                 "sampler.n", "power of 2"),
    "sampler without n": ("[vary]\nscarcity = {}\nopenness = {}\n[sampler]\nmethod = \"lhs\"\n",
                          "sampler.n", "missing"),
    "sampler option unknown": ("[vary]\nscarcity = {}\nopenness = {}\n[sampler]\nmethod = \"lhs\"\nn = 8\nsize = 3\n",
                               "sampler.size", "allowed"),
    "range without a sampler": ("[vary]\nscarcity = { low = 0.1, high = 0.4 }\n", "sampler.method", "lhs, sobol, morris"),
    "grid range with sobol": ("[vary]\nscarcity = { low = 0, high = 1, num = 3 }\n[sampler]\nmethod = \"sobol\"\nn = 8\n",
                              "sampler.method", "sampled factor"),
    "bad replicates": ("replicates = 0\n", "replicates", "whole number"),
    "unknown top-level key": ("replicate = 3\n", "replicate", "allowed at the top level"),
    "unknown scenario": ("scenario = \"lenin\"\n", "scenario", "gorbachev"),
    "sampled bool": ("[vary]\nloop_fiscal = {}\nscarcity = {}\n[sampler]\nmethod = \"lhs\"\nn = 4\n",
                     "vary.loop_fiscal", "list of values"),
    "output unknown": ("[outputs]\nindicators = [\"cohesion\", \"happiness\"]\n", "outputs.indicators", "cohesion"),
    "runner parameter": ("[fixed]\ncollect_every = 2\n", "fixed.collect_every", "outputs.every"),
    "world size on the USSR world": ('world = "ussr"\n[vary]\nn_regions = [50, 100]\n', "vary.n_regions",
                                     "only shapes a synthetic world"),
    "topology on the USSR world": ('world = "ussr"\n[vary]\ntopology = ["grid", "network"]\n', "vary.topology",
                                   "only shapes a synthetic world"),
    "republics fixed on the USSR world": ('world = "ussr"\n[fixed]\nn_republics = 4\n', "fixed.n_republics",
                                          "only shapes a synthetic world"),
    "dummy without sobol or morris": ("[vary]\nscarcity = {}\nopenness = {}\n[sampler]\nmethod = \"lhs\"\n"
                                      "n = 4\ndummy = true\n", "sampler.dummy", "only used by"),
}


def _bad_spec(tmp_path, snippet: str) -> Path:
    """A valid base spec with ``snippet`` merged in (tables replaced, top-level keys added)."""
    lines = {"name": 'name = "bad"', "scenario": 'scenario = "gorbachev"', "world": 'world = "synthetic"',
             "steps": "steps = 4"}
    top, tables, current = [], {}, None
    for line in snippet.splitlines():
        if line.startswith("["):
            current = line
            tables[current] = []
        elif current is None:
            key = line.split("=")[0].strip()
            lines.pop(key, None)
            top.append(line)
        else:
            tables[current].append(line)
    if "[vary]" not in tables:
        tables["[vary]"] = ["punishment_severity = [0.2, 0.8]"]
    text = "\n".join([*lines.values(), *top]) + "\n"
    for head, body in tables.items():
        text += f"\n{head}\n" + "\n".join(body) + "\n"
    return write_spec(tmp_path, text, "bad.toml")


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_spec_gives_one_line_naming_file_and_field(tmp_path, case):
    snippet, field, allowed = BAD[case]
    path = _bad_spec(tmp_path, snippet)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert field in message
    assert allowed in message


def test_cli_prints_the_line_and_exits_2_before_any_run(tmp_path, capsys):
    path = _bad_spec(tmp_path, "[vary]\nscarcity = [0.1, 1.5]\n")
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(path) in err and "vary.scarcity" in err and "[0, 1]" in err
    assert not out.exists()


def test_not_toml_and_missing_file(tmp_path):
    bad = write_spec(tmp_path, "name = \n", "broken.toml")
    with pytest.raises(SpecError, match="broken.toml: not valid TOML"):
        load_spec(bad)
    with pytest.raises(SpecError, match="no such specification file"):
        load_spec(tmp_path / "absent.toml")


def test_spec_error_is_a_parameter_error():
    assert issubclass(SpecError, parameters.ParameterError)


def test_ranges_and_lists():
    spec = parse_spec(_dict("[vary]\npunishment_severity = { low = 0.0, high = 1.0, step = 0.25 }\n"
                            "scarcity = { values = [0.3, 0.1] }\nloop_fiscal = [true, false]\n"))
    values = {f.name: f.values for f in spec.factors}
    assert values["punishment_severity"] == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert values["scarcity"] == (0.3, 0.1)
    assert values["loop_fiscal"] == (True, False)
    assert spec.n_runs == 5 * 2 * 2 * spec.replicates
    full = parse_spec(_dict("[vary]\nscarcity = {}\nopenness = { low = 0.2 }\n[sampler]\nmethod = \"lhs\"\nn = 5\n"))
    assert (full.factor("scarcity").low, full.factor("scarcity").high) == (0.0, 1.0)
    assert full.factor("openness").low == 0.2
    assert full.n_runs == 5 * full.replicates


def _dict(snippet: str) -> dict:
    import tomllib

    head = 'world = "synthetic"\nreplicates = 2\n'
    if "scenario = [" not in snippet:
        head = 'scenario = "gorbachev"\n' + head
    return tomllib.loads(head + snippet)


# ---------------------------------------------------------------------- design and seeds
def test_hash_ignores_description_and_analysis():
    base = _dict("[vary]\nscarcity = [0.1, 0.2]\n")
    a = parse_spec(base)
    b = parse_spec({**base, "description": "other words", "analysis": {"metrics": ["cohesion"]}})
    c = parse_spec({**base, "seed": 99})
    assert a.hash == b.hash != c.hash


def test_sobol_design_has_saltelli_size_and_is_reproducible():
    spec = parse_spec(_dict("[vary]\nscarcity = {}\nopenness = {}\naudit_capacity = {}\n"
                            "[sampler]\nmethod = \"sobol\"\nn = 16\n"))
    runs = designs.runs(spec)
    assert len(runs) == 16 * (3 + 1 + 2) * 2  # three levers and the dummy
    again = designs.runs(spec)
    assert runs.equals(again)
    assert runs["scarcity"].between(0, 1).all()


def test_grid_crossed_with_sampler():
    spec = parse_spec(_dict("[vary]\nscenario = [\"stalin\", \"gorbachev\"]\nscarcity = {}\nopenness = {}\n"
                            "[sampler]\nmethod = \"lhs\"\nn = 4\n"))
    pts = designs.points(spec)
    assert len(pts) == 8
    # the same sample rows under each scenario
    a, b = pts[pts.scenario == "stalin"], pts[pts.scenario == "gorbachev"]
    assert a["scarcity"].tolist() == b["scarcity"].tolist()


def test_common_random_numbers():
    independent = designs.runs(parse_spec(_dict("[vary]\nscarcity = [0.1, 0.2]\n")))
    common = designs.runs(parse_spec(_dict('seeds = "common"\n[vary]\nscarcity = [0.1, 0.2]\n')))
    assert independent["seed"].nunique() == 4
    assert common["seed"].nunique() == 2
    assert common.groupby("replicate")["seed"].nunique().eq(1).all()


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**63 - 1), replicate=st.integers(0, 10**6),
       value=st.floats(0, 1, allow_nan=False), name=st.sampled_from(sorted(parameters.LEVERS)))
def test_run_seed_is_a_pure_function(seed, replicate, value, name):
    s = run_seed(seed, {name: value}, replicate)
    assert 0 <= s < 2**63
    assert s == run_seed(seed, {name: value}, replicate)
    np.random.default_rng(s)  # a valid seed for the model


@settings(max_examples=25, deadline=None)
@given(levels=st.lists(st.integers(1, 4), min_size=1, max_size=3), replicates=st.integers(1, 4))
def test_design_numbers_every_run_once(levels, replicates):
    names = ["scarcity", "openness", "audit_capacity"][:len(levels)]
    vary = "".join(f"{n} = {{ low = 0.0, high = 1.0, num = {k} }}\n" for n, k in zip(names, levels))
    spec = parse_spec(_dict(f"[vary]\n{vary}").__or__({"replicates": replicates}))
    runs = designs.runs(spec)
    assert len(runs) == spec.n_runs == int(np.prod(levels)) * replicates
    assert runs["run"].tolist() == list(range(spec.n_runs))
    assert (runs["run"] == runs["point"] * replicates + runs["replicate"]).all()
    assert runs["seed"].is_unique


# ---------------------------------------------------------------------- factors that do nothing
@pytest.mark.parametrize("name, values", [("n_regions", [50, 100]), ("topology", ["grid", "network"]),
                                          ("n_republics", [2, 4])])
def test_world_parameters_on_the_scenarios_ussr_world_are_refused(name, values):
    """The Gorbachev scenario runs on the USSR world: varying its synthetic world's shape would
    give identical runs labelled as different."""
    data = {"scenario": "gorbachev", "replicates": 1, "vary": {name: values}}
    with pytest.raises(SpecError) as info:
        parse_spec(data, where="x.toml")
    message = str(info.value)
    assert message.startswith(f"x.toml: vary.{name}:") and "USSR" in message and "\n" not in message
    parse_spec({**data, "world": "synthetic"})  # where it does shape the world


def test_world_parameters_with_both_worlds_are_a_warning():
    spec = parse_spec({"scenario": "gorbachev", "replicates": 1,
                       "vary": {"world": ["ussr", "synthetic"], "n_regions": [50, 100]}})
    assert any("n_regions" in note and "USSR world" in note for note in spec.notes)


def test_the_dummy_parameter():
    base = 'scenario = "gorbachev"\nworld = "synthetic"\n[vary]\nscarcity = {}\nopenness = {}\n'
    import tomllib

    sobol = parse_spec(tomllib.loads(base + '[sampler]\nmethod = "sobol"\nn = 4\n'))
    assert [f.name for f in sobol.sampled_factors] == ["scarcity", "openness", "dummy"]
    assert sobol.factor("dummy").inert and sobol.n_points == 4 * (3 + 2)
    off = parse_spec(tomllib.loads(base + '[sampler]\nmethod = "sobol"\nn = 4\ndummy = false\n'))
    assert "dummy" not in off.factor_names
    morris = parse_spec(tomllib.loads(base + '[sampler]\nmethod = "morris"\nn = 4\n'))
    assert "dummy" not in morris.factor_names
    assert "dummy" in parse_spec(tomllib.loads(base + '[sampler]\nmethod = "morris"\nn = 4\ndummy = true\n')).factor_names
    # the model never sees it
    from soviet_cohesion.sweep.runner import model_arguments
    from soviet_cohesion.sweep.session import build_manifest
    from soviet_cohesion.sweep import provenance

    config = build_manifest(sobol, provenance.session())["config"]
    kwargs = model_arguments(config, (0.1, 0.2, 0.3), 7)
    assert kwargs["scarcity"] == 0.1 and kwargs["openness"] == 0.2 and "dummy" not in kwargs
