"""A database that fails under the web server gives a 503 page (and its JSON twin), not a bare 500;
the visitor is not shown the file's path, the server's log is."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from claimgraph.errors import StoreError
from claimgraph.settings import Settings
from claimgraph.web import create_app

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402


class BrokenStore:
    """Every store method fails as a damaged SQLite file does."""

    def __getattr__(self, name: str) -> Any:
        if name == "close":
            return lambda: None

        def fail(*args: Any, **kwargs: Any) -> Any:
            raise StoreError("/srv/news/secret-path.db: query failed (database disk image is malformed)")
        return fail


@pytest.mark.parametrize("url", ["/", "/index.json", "/articles/a1", "/articles/a1.json", "/trails/t1.json"])
def test_store_error_is_a_503_without_the_path(tmp_path, caplog, url: str) -> None:
    store = BrokenStore()
    app = create_app(Settings(db=str(tmp_path / "unused.db")), store_factory=lambda: store)  # type: ignore[arg-type, return-value]
    with caplog.at_level(logging.ERROR, logger="claimgraph.web"), TestClient(app) as client:
        response = client.get(url)
    assert response.status_code == 503, (url, response.status_code, response.text[:300])
    assert "secret-path" not in response.text
    if url.endswith(".json"):
        assert "database" in response.json()["detail"]
    assert "secret-path.db" in caplog.text
