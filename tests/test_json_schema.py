"""The published JSON Schema of ``--format json`` version 1 (``tqcheck/schemas/report-v1.json``) holds
for real output: the seed with and without the model, a bilingual file, and an empty-findings file."""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from tqcheck.cli import main

from .conftest import ROOT, SEED


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(resources.files("tqcheck").joinpath("schemas/report-v1.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def scan_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    main(["scan", "--format", "json", *args])
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("args", [
    ("--no-model", str(SEED)),
    ("--no-model", str(ROOT / "tests" / "data" / "bilingual.po")),
    ("--no-model", str(ROOT / "tests" / "data" / "bilingual-2.0.xlf")),
    # files checked with other packs: each carries its own scoring signature
    ("--no-model", str(ROOT / "tests" / "data" / "target-en.txt"), str(ROOT / "tests" / "data" / "bilingual.po")),
])
def test_rules_only_output_is_valid(validator, capsys, args):
    data = scan_json(capsys, *args)
    validator.validate(data)
    assert data["files"]


def test_clean_file_is_valid(validator, capsys, tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("The minister said the talks went well.\n", encoding="utf-8")
    data = scan_json(capsys, "--no-model", str(clean))
    validator.validate(data)
    assert data["files"][0]["findings"] == []


def test_model_output_is_valid(validator, capsys):
    pytest.importorskip("torch")
    data = scan_json(capsys, str(SEED))
    validator.validate(data)
    if data["files"][0]["fluency"] is None:
        pytest.skip("no fluency model installed")
    assert data["files"][0]["fluency"]["sentences"]


def test_schema_rejects_a_broken_report(validator, capsys):
    """The schema is not vacuous: a finding without offsets, or an unknown severity, fails."""
    data = scan_json(capsys, "--no-model", str(SEED))
    broken = json.loads(json.dumps(data))
    del broken["files"][0]["findings"][0]["start"]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)
    broken = json.loads(json.dumps(data))
    broken["files"][0]["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)
