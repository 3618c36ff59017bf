"""The application factory: API, screens, health, metrics; for the embedded default, a worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.problems import install_problem_handlers
from api.routes import router as api_router
from ordino.ops import router as ops_router
from ordino.request_context import RequestIdMiddleware
from ordino.runtime import Runtime
from ordino.settings import Settings
from review_ui.routes import router as review_router


def create_app(
    settings: Settings, *, runtime: Runtime | None = None, start_worker: bool | None = None
) -> FastAPI:
    runtime = runtime or Runtime.from_settings(settings)
    run_worker = settings.inprocess_worker if start_worker is None else start_worker

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if run_worker:
            runtime.start_workers()
        try:
            yield
        finally:
            runtime.stop_workers()

    app = FastAPI(
        title="Ordino",
        version="1.0.0",
        summary="Purchase orders by e-mail and fax, turned into clean ERP orders.",
        lifespan=lifespan,
    )
    app.state.context = runtime.context
    app.state.runtime = runtime
    app.add_middleware(RequestIdMiddleware)
    install_problem_handlers(app)
    app.include_router(ops_router)
    app.include_router(api_router, prefix="/api/v1")
    app.include_router(review_router)
    return app
