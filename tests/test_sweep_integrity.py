"""Integrity and provenance of a results folder: per-chunk checksums verified on resume and by
analyze (corrupt chunks recomputed), provenance in the manifest and per chunk, mixed versions
refused by analyze and by resume unless allowed, figures that say what made them."""

from __future__ import annotations

import json
import shutil

import pytest
from PIL import Image

from soviet_cohesion.cli import main
from soviet_cohesion.sweep import SweepError, analyze, load_spec, read_results, run_sweep
from soviet_cohesion.sweep import provenance
from soviet_cohesion.sweep.runner import chunk_provenance
from soviet_cohesion.sweep.storage import ResultStore
from sweep_support import assert_same_results, flip_bytes, small_spec


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("integrity")
    spec = small_spec(folder)
    out = folder / "out"
    assert run_sweep(spec, out, workers=1, progress=False).complete
    return spec, out


def _ledger(folder):
    return [json.loads(line) for line in (folder / "chunks.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("table", ["runs", "timeseries"])
def test_a_flipped_byte_chunk_is_detected_and_recomputed(reference, tmp_path, table, capsys):
    spec, out = reference
    folder = tmp_path / "copy"
    shutil.copytree(out, folder)
    victim = ResultStore(folder).parts(table)[1]
    flip_bytes(victim)
    # analyze and the readers refuse it, in one line naming the chunk
    with pytest.raises(SweepError) as info:
        analyze(folder)
    message = str(info.value)
    assert "\n" not in message and victim.name in message and "integrity" in message
    with pytest.raises(SweepError, match=victim.name):
        read_results(folder)
    assert main(["analyze", str(folder)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    # resuming finds it, deletes it and recomputes exactly its runs
    n = next(e["n"] for e in _ledger(folder) if e.get("part") == victim.name)
    report = run_sweep(spec, folder, workers=1, progress=False)
    assert report.ran == n and report.complete
    assert_same_results(out, folder)  # (read through the checksums again)


def test_a_damaged_ledger_line_is_dropped_and_its_chunk_redone(reference, tmp_path):
    spec, out = reference
    folder = tmp_path / "copy"
    shutil.copytree(out, folder)
    ledger = folder / "chunks.jsonl"
    lines = ledger.read_text().splitlines()
    ledger.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][: len(lines[-1]) // 2])  # a crash mid-line
    report = run_sweep(spec, folder, workers=1, progress=False)
    assert 0 < report.ran < 12
    assert_same_results(out, folder)
    assert all(json.loads(line) for line in ledger.read_text().splitlines())


def test_provenance_in_the_manifest_and_per_chunk(reference):
    _, out = reference
    manifest = json.loads((out / "manifest.json").read_text())
    made = manifest["provenance"]
    assert made["host"] and made["pid"] and made["command"] and made["started"]
    build = made["build"]
    assert build["code"] == provenance.code_fingerprint()
    assert {"numpy", "mesa", "pandas", "python", "soviet_cohesion"} <= set(build["versions"])
    assert set(build["git"]) in ({"commit", "dirty"}, set())  # empty outside a git checkout
    entries = _ledger(out)
    builds = {e["id"]: e for e in entries if e["kind"] == "build"}
    chunks = [e for e in entries if e["kind"] == "chunk"]
    assert sum(c["n"] for c in chunks) == 12
    for c in chunks:
        assert set(c["files"]) == {"runs", "timeseries"}
        assert all(len(f["sha256"]) == 64 and f["bytes"] > 0 for f in c["files"].values())
        assert c["worker"]["host"] and c["worker"]["pid"] and c["session"] and c["started"]
        assert builds[c["build"]]["code"] == build["code"]
        # the same record travels inside the Parquet file
        import pyarrow.parquet as pq

        inside = chunk_provenance(pq.read_table(out / "runs" / c["part"]))
        assert inside["build"]["id"] == c["build"] and inside["worker"] == c["worker"]


def _mix_versions(folder):
    """Pretend half the chunks were computed by other model code."""
    entries = _ledger(folder)
    build = next(e for e in entries if e["kind"] == "build")
    other = {**build, "code": "0123456789abcdef"}
    other["id"] = provenance.build_id(other)
    chunks = [e for e in entries if e["kind"] == "chunk"]
    for c in chunks[: len(chunks) // 2]:
        c["build"] = other["id"]
    lines = [build, other, *chunks]
    (folder / "chunks.jsonl").write_text("".join(json.dumps(e) + "\n" for e in lines))


def test_analyze_refuses_mixed_versions_unless_told(reference, tmp_path, capsys):
    _, out = reference
    folder = tmp_path / "mixed"
    shutil.copytree(out, folder)
    _mix_versions(folder)
    with pytest.raises(SweepError) as info:
        analyze(folder)
    assert "2 different versions" in str(info.value) and "--allow-mixed-versions" in str(info.value)
    assert main(["analyze", str(folder)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert main(["analyze", str(folder), "--allow-mixed-versions"]) == 0
    text = capsys.readouterr().out
    assert "0123456789abcdef" in text and "mix 2 versions" in text


def test_resuming_with_other_model_code_is_refused_unless_told(reference, tmp_path, monkeypatch):
    spec, out = reference
    folder = tmp_path / "partial"
    shutil.copytree(out, folder)
    entries = _ledger(folder)
    kept = [e for e in entries if e["kind"] == "build"] + [e for e in entries if e["kind"] == "chunk"][:2]
    (folder / "chunks.jsonl").write_text("".join(json.dumps(e) + "\n" for e in kept))
    changed = {**provenance.build(), "code": "fedcba9876543210"}
    monkeypatch.setattr(provenance, "build", lambda: changed)
    with pytest.raises(SweepError) as info:
        run_sweep(spec, folder, workers=1, progress=False)
    message = str(info.value)
    assert "another version" in message and "fedcba9876543210" in message and "\n" not in message
    assert run_sweep(spec, folder, workers=1, progress=False, allow_mixed=True).complete


def test_analysis_prints_provenance_and_figures_carry_it(reference, tmp_path):
    spec, out = reference
    result = analyze(out, tmp_path / "figs")
    manifest = json.loads((out / "manifest.json").read_text())
    code = manifest["provenance"]["build"]["code"]
    assert manifest["spec_hash"] in result.text and code in result.text
    assert "computed on" in result.text  # the hosts
    # the command line that started it (here pytest's own, whatever its arguments)
    assert f"by: {' '.join(manifest['provenance']['command'])}" in result.text
    png = tmp_path / "figs" / "phase_diagram.png"
    assert png.with_suffix(".svg").is_file()
    description = Image.open(png).text["Description"]
    assert manifest["spec_hash"] in description and code in description
    svg = png.with_suffix(".svg").read_text()
    assert manifest["spec_hash"] in svg and code in svg
    assert load_spec(spec).hash == manifest["spec_hash"]
