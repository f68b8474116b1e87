"""Small local servers that speak the DeepL and LibreTranslate HTTP APIs.

No translation service is reachable from the tests, so the real clients (the
``deepl`` package, our LibreTranslate client) talk to these instead. Each
"translates" by putting the target language in front: "[UK] Hallo".
"""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeService:
    """A server on 127.0.0.1 (a free port) answering as ``mode`` says.

    mode: "ok"; "script" (adds a <script> to every text); "garbage" (not
    JSON); "wrong-count" (one text too few); "slow" (answers after
    ``delay`` seconds); or an HTTP status code to answer with.
    """

    def __init__(self):
        self.mode = "ok"
        self.delay = 2.0
        self.requests: list[dict] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw)
                else:
                    body = urllib.parse.parse_qs(raw.decode())
                service.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status, answer = service.answer(self.path, body)
                if service.mode == "slow":
                    time.sleep(service.delay)
                payload = answer if isinstance(answer, bytes) else json.dumps(answer)
                payload = payload.encode() if isinstance(payload, str) else payload
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout tests)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def translated(self, texts: list[str], target: str) -> list[str]:
        result = [f"[{target.upper()}] {text}" for text in texts]
        if self.mode == "script":
            result = [f"{text}<script>alert(1)</script>" for text in result]
        if self.mode == "wrong-count":
            result = result[:-1]
        return result

    def answer(self, path: str, body: dict) -> tuple[int, object]:
        if isinstance(self.mode, int):
            return self.mode, {"message": "fake failure"}
        if self.mode == "garbage":
            return 200, b"<html>Gateway says hello</html>"
        return 200, self.reply(path, body)

    def reply(self, path: str, body: dict):
        raise NotImplementedError


class FakeDeepL(FakeService):
    """POST /v2/translate (the client sends JSON); /v2/usage if it is asked."""

    def reply(self, path: str, body: dict):
        if path == "/v2/usage":
            return {"character_count": 0, "character_limit": 500000}
        assert path == "/v2/translate", path
        texts = body["text"]
        target = body["target_lang"]
        if isinstance(target, list):  # form-encoded
            target = target[0]
        return {
            "translations": [
                {
                    "detected_source_language": "DE",
                    "text": text,
                    "billed_characters": len(source),
                }
                for source, text in zip(
                    texts, self.translated(texts, target), strict=False
                )
            ]
        }


class FakeLibreTranslate(FakeService):
    """POST /translate {"q": [...], "source", "target", "format"}."""

    def reply(self, path: str, body: dict):
        assert path == "/translate", path
        return {"translatedText": self.translated(body["q"], body["target"])}
