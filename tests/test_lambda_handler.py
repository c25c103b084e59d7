"""The db_migrate handler against a real HTTP server on loopback."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError

import pytest

from lambda_src.db_migrate import index


class FakeMetadataService(BaseHTTPRequestHandler):
    """Answers like the metadata service's migration port: status, then upgrade."""

    def do_GET(self):
        if self.path != "/db_schema_status":
            return self._reply(404, b"not found")
        self.server.calls.append(("GET", self.path))
        upgraded = ("PATCH", "/upgrade") in self.server.calls
        status = {"is_up_to_date": upgraded, "current_version": 23 if upgraded else 19}
        self._reply(200, json.dumps(status).encode())

    def do_PATCH(self):
        self.server.calls.append(("PATCH", self.path))
        if self.path != "/upgrade":
            return self._reply(404, b"not found")
        self._reply(200, b"upgrade ok")

    def _reply(self, code, body):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def service(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeMetadataService)
    server.calls = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("MD_LB_ADDRESS", f"http://127.0.0.1:{server.server_address[1]}")
    yield server
    server.shutdown()
    server.server_close()


def test_handler_reads_status_upgrades_and_reads_status_again(service, capsys):
    response = index.handler({}, None)

    assert service.calls == [("GET", "/db_schema_status"), ("PATCH", "/upgrade"), ("GET", "/db_schema_status")]
    assert response == {
        "init-status": {"is_up_to_date": False, "current_version": 19},
        "upgrade-result": "upgrade ok",
        "final-status": {"is_up_to_date": True, "current_version": 23},
    }
    assert "upgrade ok" in capsys.readouterr().out


def test_handler_fails_loudly_when_the_upgrade_is_refused(service, monkeypatch):
    monkeypatch.setenv("MD_LB_ADDRESS", f"http://127.0.0.1:{service.server_address[1]}/missing")

    with pytest.raises(HTTPError) as refused:
        index.handler({}, None)
    assert refused.value.code == 404
