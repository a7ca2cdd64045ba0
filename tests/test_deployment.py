"""The deployment files: docker-compose.yml is valid Compose and agrees with the code.

Docker cannot run here, so the file is validated against the Compose Specification's JSON
schema (tests/fixtures/compose-spec.json, from github.com/compose-spec/compose-go v2.10.2,
Apache-2.0: the schema `docker compose` itself validates with) and checked against the
settings the code reads.
"""

from __future__ import annotations

import json
import re

import jsonschema
import yaml
from conftest import FIXTURES, ROOT

from archive import config

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


VALIDATOR = jsonschema.Draft7Validator(
    json.loads((FIXTURES / "compose-spec.json").read_text(encoding="utf-8"))
)


def test_compose_file_follows_the_specification() -> None:
    VALIDATOR.validate(COMPOSE)


def test_the_schema_check_can_fail() -> None:
    broken = {
        **COMPOSE,
        "services": {
            "app": {**COMPOSE["services"]["app"], "ports": "8000", "restart": {"always": True}}
        },
    }
    assert len(list(VALIDATOR.iter_errors(broken))) >= 2


def test_app_settings_are_ones_the_code_reads() -> None:
    environment = COMPOSE["services"]["app"]["environment"]
    assert set(environment) <= set(config._ENV)
    assert environment["ARCHIVE_BACKEND"] in config.BACKENDS
    assert environment["ARCHIVE_ES_URL"] == "http://elasticsearch:9200"


def test_elasticsearch_version_matches_the_tests_and_the_client() -> None:
    image = COMPOSE["services"]["elasticsearch"]["image"]
    compose_version = image.rsplit(":", 1)[1]
    script = (ROOT / "scripts" / "es-node.sh").read_text(encoding="utf-8")
    tested = re.search(r'ES_VERSION="\$\{ARCHIVE_ES_VERSION:-([\d.]+)\}"', script).group(1)
    pinned = re.search(
        r'"elasticsearch==([\d.]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    ).group(1)
    assert compose_version == tested
    assert compose_version.split(".")[0] == pinned.split(".")[0]


def test_services_wait_for_a_healthy_engine_and_keep_their_data() -> None:
    services = COMPOSE["services"]
    assert "healthcheck" in services["elasticsearch"]
    assert services["app"]["depends_on"]["elasticsearch"]["condition"] == "service_healthy"
    assert any(v.startswith("archive-data:") for v in services["app"]["volumes"])
    assert any(v.startswith("es-data:") for v in services["elasticsearch"]["volumes"])


def test_dockerfile_serves_what_compose_publishes() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    published = COMPOSE["services"]["app"]["ports"][0].rsplit(":", 1)[1]
    assert f"EXPOSE {published}" in dockerfile
    assert '"archive", "serve"' in dockerfile and f'"--port", "{published}"' in dockerfile
