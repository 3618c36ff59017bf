"""Property-based tests of the API against its own OpenAPI document (schemathesis).

Every operation is called with generated valid requests, authenticated with an admin key: no
answer may be a 5xx, and every answer must match the documented status codes, media types,
headers and schemas. Bounded: a handful of examples per operation, on SQLite.
"""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks
from schemathesis.core.result import Ok
from schemathesis.specs.openapi import checks as openapi_checks
from sqlmodel import SQLModel

from models.auth import create_api_key
from models.blobs import BlobStore
from models.context import AppContext
from models.db import make_engine, session_scope
from tests.api.conftest import build_api_app

EXAMPLES_PER_OPERATION = 6
CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
]


@pytest.fixture
def contract_app(tmp_path: Path) -> tuple[FastAPI, str]:
    engine = make_engine(f"sqlite:///{tmp_path / 'contract.db'}")
    SQLModel.metadata.create_all(engine)
    with session_scope(engine) as session:
        token = create_api_key(session, name="contract", scopes=["admin"]).plaintext
    context = AppContext(
        engine=engine,
        blobs=BlobStore(tmp_path / "blobs"),
        enqueue=lambda _document_id, _stage: None,
        data_dir=tmp_path,
        secret_key="contract-tests",
        max_upload_bytes=100_000,
        seller_name="Ordino Demo Supplies SAS",
        seller_vat_id="FR40303265045",
        environment="test",
    )
    return build_api_app(context), token


@pytest.mark.slow
def test_every_operation_honours_its_documented_contract(
    contract_app: tuple[FastAPI, str],
) -> None:
    app, token = contract_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the OpenAPI document is invalid: {result}"
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
        )
        def call(case: schemathesis.Case) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        try:
            call()
        except (Exception, BaseExceptionGroup) as exc:  # every operation, not just the first
            failures.append(
                f"{operation.label}: {''.join(traceback.format_exception(exc))[-2500:]}"
            )
    assert operations >= 30
    assert not failures, "\n\n".join(failures)
