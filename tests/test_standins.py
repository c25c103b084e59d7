"""The stand-in archive and random providers, run by real Terraform (init, validate, apply, plan)."""

from __future__ import annotations

import base64
import hashlib
import json
import string
import warnings
import zipfile
from pathlib import Path

import pytest

from harness.standins.archive_provider import archive_entries, build_zip
from harness.standins.random_provider import generate_random_string

LAMBDA_SOURCE = 'def handler(event, context):\n    return {"ok": True}\n'
OVERRIDE_SPECIAL = "!#$%&*()-_=+[]{}<>:?"

STANDINS_ROOT = {
    "terraform": {
        "required_providers": {
            "archive": {"source": "hashicorp/archive"},
            "random": {"source": "hashicorp/random"},
        }
    },
    "data": {
        "archive_file": {
            "bundle": {
                "type": "zip",
                "output_path": "${path.module}/out/bundle.zip",
                "output_file_mode": "0644",
                "source": [{"content": LAMBDA_SOURCE, "filename": "index.py"}],
            },
            # Its content is unknown until random_pet exists, so Terraform reads it during apply.
            "pet_name": {
                "type": "zip",
                "output_path": "${path.module}/out/pet.zip",
                "source_content": "${random_pet.name.id}",
                "source_content_filename": "pet.txt",
            },
        }
    },
    "resource": {
        "random_password": {
            "db": {"length": 64, "special": True, "override_special": OVERRIDE_SPECIAL},
        },
        "random_pet": {"name": {"separator": "_", "prefix": "mf"}},
        "random_string": {"suffix": {"length": 12, "special": False, "upper": False}},
    },
    "output": {
        "zip_path": {"value": "${data.archive_file.bundle.output_path}"},
        "zip_base64sha256": {"value": "${data.archive_file.bundle.output_base64sha256}"},
        "zip_md5": {"value": "${data.archive_file.bundle.output_md5}"},
        "zip_size": {"value": "${data.archive_file.bundle.output_size}"},
        "zip_id": {"value": "${data.archive_file.bundle.id}"},
        "password": {"value": "${random_password.db.result}", "sensitive": True},
        "password_bcrypt": {"value": "${random_password.db.bcrypt_hash}", "sensitive": True},
        "pet": {"value": "${random_pet.name.id}"},
        "pet_zip_size": {"value": "${data.archive_file.pet_name.output_size}"},
        "suffix": {"value": "${random_string.suffix.result}"},
    },
}


def write_root(directory: Path, config: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.tf.json").write_text(json.dumps(config, indent=2))
    return directory


@pytest.fixture(scope="module")
def standins_root(tmp_path_factory) -> Path:
    return write_root(tmp_path_factory.mktemp("standins"), STANDINS_ROOT)


@pytest.fixture(scope="module")
def validation(terraform, standins_root) -> dict:
    # Also the root's only `terraform init`: validate's -backend=false is enough for local state.
    return terraform.validate(standins_root)


@pytest.fixture(scope="module")
def applied(terraform, standins_root, validation) -> Path:
    """The root using every stand-in, applied once for the whole file."""
    terraform.apply(standins_root)
    return standins_root


@pytest.fixture(scope="module")
def outputs(terraform, applied) -> dict:
    return terraform.output(applied)


def test_root_using_every_standin_validates(terraform, validation):
    # At validate time every reference is unknown, which the stand-ins' validators must accept.
    assert validation["valid"], terraform.format_diagnostics(validation)
    assert validation["warning_count"] == 0, terraform.format_diagnostics(validation)


def test_archive_file_writes_the_zip_with_exactly_the_configured_content(applied, outputs):
    zip_path = applied / "out" / "bundle.zip"
    # output_path is relative to the root, as "${path.module}" makes it.
    assert (applied / outputs["zip_path"]["value"]).resolve() == zip_path.resolve()
    with zipfile.ZipFile(zip_path) as archive:
        assert archive.namelist() == ["index.py"]
        assert archive.read("index.py").decode() == LAMBDA_SOURCE
        entry = archive.getinfo("index.py")
    assert entry.external_attr >> 16 & 0o777 == 0o644
    assert entry.date_time == (1980, 1, 1, 0, 0, 0)


def test_archive_file_hashes_are_those_of_the_written_zip(applied, outputs):
    data = (applied / "out" / "bundle.zip").read_bytes()
    assert outputs["zip_base64sha256"]["value"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert outputs["zip_md5"]["value"] == hashlib.md5(data).hexdigest()
    assert outputs["zip_size"]["value"] == len(data)
    assert outputs["zip_id"]["value"] == hashlib.sha1(data).hexdigest()


def test_archive_file_read_during_apply_sees_values_known_only_then(applied, outputs):
    zip_path = applied / "out" / "pet.zip"
    assert outputs["pet_zip_size"]["value"] == zip_path.stat().st_size
    with zipfile.ZipFile(zip_path) as archive:
        assert archive.read("pet.txt").decode() == outputs["pet"]["value"]


def test_random_password_honours_length_and_override_special_and_stays_sensitive(outputs):
    password = outputs["password"]
    assert password["sensitive"] is True
    value = password["value"]
    assert len(value) == 64
    assert set(value) <= set(string.ascii_letters + string.digits + OVERRIDE_SPECIAL)


def test_random_password_bcrypt_hash_matches_the_result(outputs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        crypt = pytest.importorskip("crypt")
    if crypt.METHOD_BLOWFISH not in crypt.methods:
        pytest.skip("this C library's crypt(3) has no bcrypt, so the stand-in leaves bcrypt_hash null")
    hashed = outputs["password_bcrypt"]["value"]
    assert hashed.startswith("$2")
    assert crypt.crypt(outputs["password"]["value"], hashed) == hashed


def test_random_pet_joins_prefix_and_words_with_the_separator(outputs):
    assert outputs["pet"]["sensitive"] is False
    words = outputs["pet"]["value"].split("_")
    assert words[0] == "mf"
    assert len(words) == 3 and all(words)


def test_random_string_uses_only_the_enabled_classes(outputs):
    suffix = outputs["suffix"]
    assert suffix["sensitive"] is False
    assert len(suffix["value"]) == 12
    assert set(suffix["value"]) <= set(string.ascii_lowercase + string.digits)


def test_a_second_plan_finds_nothing_to_change(terraform, applied):
    # Exit code 2 would mean changes: random values regenerated, or the zip's hashes drifting.
    completed = terraform.run(applied, "plan", "-detailed-exitcode", "-input=false", "-no-color", check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_validate_rejects_archive_file_with_conflicting_sources(terraform, tmp_path):
    root = write_root(
        tmp_path / "conflict",
        {
            "terraform": {"required_providers": {"archive": {"source": "hashicorp/archive"}}},
            "data": {
                "archive_file": {
                    "both": {
                        "type": "zip",
                        "output_path": "out.zip",
                        "source_file": "main.tf.json",
                        "source": [{"content": "x", "filename": "x"}],
                    }
                }
            },
        },
    )
    result = terraform.validate(root)
    assert not result["valid"]
    assert "Invalid Attribute Combination" in terraform.format_diagnostics(result)


# --- The stand-ins' own logic, without Terraform ------------------------------------------


def test_archive_of_a_directory_honours_excludes_and_walks_in_lexical_order(tmp_path):
    for name in ("b.py", "a.py", "skip.pyc", "pkg/c.py", "cache/x.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    config = {"source_dir": str(tmp_path), "excludes": ["*.pyc", "cache"], "output_file_mode": "0755"}
    entries = archive_entries(config)
    assert [(name, content.decode(), mode) for name, content, mode in entries] == [
        ("a.py", "a.py", 0o755),
        ("b.py", "b.py", 0o755),
        ("pkg/c.py", "pkg/c.py", 0o755),
    ]
    # Same inputs, same bytes: nothing time- or order-dependent gets into the zip.
    assert build_zip(entries) == build_zip(archive_entries(config))


def test_random_string_meets_every_minimum_even_for_switched_off_classes():
    state = {
        "length": 10,
        "upper": False,
        "lower": True,
        "numeric": False,
        "number": True,
        "special": False,
        "min_upper": 2,
        "min_numeric": 3,
        "min_lower": 0,
        "min_special": 0,
        "override_special": None,
    }
    value = generate_random_string(state)
    assert len(value) == 10
    assert sum(c in string.ascii_uppercase for c in value) == 2
    assert sum(c in string.digits for c in value) == 3
    assert sum(c in string.ascii_lowercase for c in value) == 5
