"""`indikator app`: the web page's server, on this computer only.

Starlette routes over a Workspace, served by uvicorn on 127.0.0.1. Every request must
carry the random token printed in the page's address (another program or a web page in
the browser cannot guess it), name this computer in its Host header (a DNS-rebinding
page names its own), and stay under the upload limit. Nothing is fetched from or sent to
anywhere else: the page has no outside resources, and its content policy forbids them.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import sys
from importlib.resources import files as resources
from pathlib import Path

from indikator.app.scratch import scratch_folder, stopping_signals, sweep_scratch
from indikator.app.workspace import ZIP_NAME, Settings, Workspace
from indikator.errors import EXIT_INPUT, IndikatorError

MAX_UPLOAD = 200 * 1024 * 1024  # bytes in one upload: a nation's exports fit many times
MAX_FILES = 500
HOSTS = ("127.0.0.1", "localhost")
PUBLIC = ("/page.js",)  # no data in it, and a <script src> sends no token
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' "
                               "'unsafe-inline'; frame-src 'self'; connect-src 'self'; "
                               "form-action 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class Guard:
    """Token, Host and size, checked before any route sees a request (ASGI middleware)."""

    def __init__(self, app, token: str, max_upload: int) -> None:
        self.app, self.token, self.max_upload = app, token, max_upload

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.datastructures import Headers, QueryParams
        from starlette.responses import PlainTextResponse

        headers = Headers(scope=scope)
        if scope["path"] in PUBLIC and scope["method"] == "GET":  # the page's own script
            return await self.app(scope, receive, send)
        given = headers.get("x-token") or QueryParams(scope["query_string"]).get("token", "")
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            return await PlainTextResponse(
                "Nyckeln i adressen saknas eller är fel. Öppna adressen som indikator app "
                "skrev ut (med ?token=…).", 403, headers=HEADERS)(scope, receive, send)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_upload:
            return await self._too_large(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_upload:
                raise TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except TooLarge:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope, receive, send) -> None:
        from starlette.responses import JSONResponse

        megabytes = self.max_upload // (1024 * 1024)
        await JSONResponse({"fel": f"Filerna är för stora: högst {megabytes} MB på en gång."},
                           413, headers=HEADERS)(scope, receive, send)


class TooLarge(Exception):
    """An upload beyond the limit, found while it streams in."""


def make_app(workspace: Workspace, token: str, max_upload: int = MAX_UPLOAD,
             max_files: int = MAX_FILES, on_quit=lambda: None):
    """The page's ASGI application: routes, wrapped in the Host check and the Guard."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    def answer(data, status: int = 200) -> JSONResponse:
        return JSONResponse(data, status, headers=HEADERS)

    def refused(exc: IndikatorError) -> JSONResponse:
        message, lines = workspace.told(exc)
        return answer({"fel": message, "problem": lines}, 400)

    def guarded(endpoint):
        """An endpoint whose failures are answers: a known one in Swedish, an unknown one
        named without a traceback (nothing from the files reaches the console)."""
        async def run(request: Request) -> Response:
            try:
                return await endpoint(request)
            except IndikatorError as exc:
                return refused(exc)
            except TooLarge:  # the guard answers it
                raise
            except HTTPException as exc:  # the form parser's refusal, in English
                return answer({"fel": f"Uppladdningen kunde inte läsas (högst {max_files} "
                                      "filer på en gång)."}, exc.status_code)
            except Exception as exc:
                return answer({"fel": f"Internt fel ({type(exc).__name__}). Kör gärna "
                                      "indikator validate på samma filer och rapportera "
                                      "felet."}, 500)

        return run

    async def settings_of(request: Request) -> Settings:
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise IndikatorError("Inställningarna kunde inte läsas.", exit_code=EXIT_INPUT)
        return Settings.from_json(data)

    async def page(request: Request) -> Response:
        text = (resources("indikator.app") / "page.html").read_text(encoding="utf-8")
        return Response(text, media_type="text/html; charset=utf-8", headers=HEADERS)

    async def script(request: Request) -> Response:
        text = (resources("indikator.app") / "page.js").read_text(encoding="utf-8")
        return Response(text, media_type="text/javascript; charset=utf-8", headers=HEADERS)

    async def upload(request: Request) -> Response:
        if workspace.busy:
            return answer({"fel": workspace.waiting()}, 409)
        form = await request.form(max_files=max_files, max_fields=20)
        try:
            chosen = [f for f in form.getlist("filer") if hasattr(f, "filename")]
            settings = Settings.from_json(json.loads(str(form.get("installningar") or "{}")))
            await run_in_threadpool(workspace.add_files,
                                    [(f.filename or "", f.file) for f in chosen])
            return answer(await run_in_threadpool(workspace.check, settings))
        finally:
            await form.close()

    async def clear(request: Request) -> Response:
        await run_in_threadpool(workspace.clear_files)
        return answer(await run_in_threadpool(workspace.check, Settings()))

    async def check(request: Request) -> Response:
        return answer(await run_in_threadpool(workspace.check, await settings_of(request)))

    async def forms(request: Request) -> Response:
        try:
            if request.method == "GET":
                from indikator.output.template import GOAL_COLUMNS, LISTS, RATE_COLUMNS

                rows = await run_in_threadpool(workspace.form_rows)
                return answer({**rows, "fil": str(workspace.forms), "listor": LISTS,
                               "kolumner": {"mal": [c[:2] for c in GOAL_COLUMNS],
                                            "svarsfrekvens": [c[:2] for c in RATE_COLUMNS]}})
            data = json.loads(await request.body() or b"{}")
            if not isinstance(data, dict):
                raise IndikatorError("Formuläret kunde inte läsas.", exit_code=EXIT_INPUT)
            await run_in_threadpool(workspace.save_forms, data.get("mal") or [],
                                    data.get("svarsfrekvens") or [])
            settings = Settings.from_json(data.get("installningar") or {})
            result = await run_in_threadpool(workspace.check, settings)
            kept = workspace.previous_forms
            return answer({**result, "sparad": str(workspace.forms),
                           "forra": str(kept) if kept.is_file() else ""})
        except ValueError:
            return answer({"fel": "Formuläret kunde inte läsas."}, 400)

    async def build(request: Request) -> Response:
        settings = await settings_of(request)
        if not workspace.start_build(settings):
            return answer({"fel": workspace.waiting()}, 409)
        return answer(workspace.build.as_dict())

    async def status(request: Request) -> Response:
        return answer({**workspace.build.as_dict(), "folder": str(workspace.pack)})

    async def pack_file(request: Request) -> Response:
        path = workspace.pack_file(request.path_params["path"])
        if path is None:
            return PlainTextResponse("Filen finns inte i paketet.", 404, headers=HEADERS)
        return FileResponse(path, headers=HEADERS, content_disposition_type="inline")

    async def download(request: Request) -> Response:
        if workspace.build.state in ("läser", "ritar"):
            return PlainTextResponse("Paketet byggs; vänta tills det är klart.", 409,
                                     headers=HEADERS)
        path = workspace.zipped()
        if path is None:
            return PlainTextResponse("Inget paket är byggt ännu.", 404, headers=HEADERS)
        return FileResponse(path, filename=ZIP_NAME, headers=HEADERS)

    async def open_folder(request: Request) -> Response:
        opened = await run_in_threadpool(show_folder, workspace.pack)
        return answer({"oppnad": opened, "folder": str(workspace.pack)})

    async def quit_app(request: Request) -> Response:
        if workspace.busy:
            return answer({"fel": "Ett paket byggs; vänta tills det är klart (eller tryck "
                                  "Ctrl+C i fönstret för att avbryta)."}, 409)
        on_quit()
        return answer({"avslutad": True})

    routes = [Route("/", page), Route("/page.js", script),
              Route("/filer", guarded(upload), methods=["POST"]),
              Route("/filer/tom", guarded(clear), methods=["POST"]),
              Route("/kontrollera", guarded(check), methods=["POST"]),
              Route("/formular", guarded(forms), methods=["GET", "POST"]),
              Route("/bygg", guarded(build), methods=["POST"]),
              Route("/status", guarded(status)),
              Route("/paket/{path:path}", guarded(pack_file)),
              Route("/" + ZIP_NAME, guarded(download)),
              Route("/oppna", guarded(open_folder), methods=["POST"]),
              Route("/avsluta", quit_app, methods=["POST"])]
    return Starlette(routes=routes, middleware=[
        Middleware(TrustedHostMiddleware, allowed_hosts=list(HOSTS)),
        Middleware(Guard, token=token, max_upload=max_upload)])


def show_folder(folder: Path) -> bool:
    """Open the pack's folder in the file manager (Explorer, Finder, or xdg-open)."""
    import subprocess

    if not folder.is_dir():
        return False
    try:
        if sys.platform == "win32":
            os.startfile(folder)  # type: ignore[attr-defined]
            return True
        opener = "open" if sys.platform == "darwin" else shutil.which("xdg-open")
        if opener is None:
            return False
        subprocess.Popen([opener, str(folder)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
        return True
    except OSError:
        return False


def listening_socket(port: int) -> socket.socket:
    """A socket on 127.0.0.1 (port 0: one the system chooses), or a plain message."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise IndikatorError(f"Porten {port} går inte att använda ({exc.strerror or exc}); "
                             "välj en annan med --port, eller utelämna --port.",
                             exit_code=EXIT_INPUT) from None
    sock.listen(128)
    return sock


def serve(folder: Path, port: int = 0, open_browser: bool = True,
          say=print) -> None:
    """Run the page until Ctrl+C (or Avsluta on the page); the uploaded answers live in a
    temporary folder that is removed when it stops."""
    import threading
    import webbrowser

    import uvicorn

    folder = Path(folder)
    if not folder.is_dir():
        raise IndikatorError(f"Mappen {folder} finns inte. Ange mappen där målen och paketet "
                             "ska ligga, t.ex. indikator app C:\\Indikatorer.",
                             exit_code=EXIT_INPUT)
    sock = listening_socket(port)
    token = secrets.token_urlsafe(24)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/?token={token}"
    sweep_scratch()
    with scratch_folder() as scratch:
        server: uvicorn.Server | None = None

        def quit_soon() -> None:
            if server is not None:
                server.should_exit = True

        workspace = Workspace(folder, scratch)
        adopted = workspace.adopt_folder()
        app = make_app(workspace, token, on_quit=quit_soon)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                               lifespan="off", server_header=False))
        say("indikator app: sidan finns på den här adressen (bara på den här datorn):")
        say(url)
        if adopted:
            say(f"{len(adopted)} exportfiler i mappen är redan valda på sidan.")
        say(f"Målen sparas i {folder.absolute()}, paketet i "
            f"{(folder / 'paket').absolute()}. Avsluta med knappen Avsluta på sidan eller "
            "Ctrl+C här.")
        if open_browser:
            threading.Timer(0.5, webbrowser.open, [url]).start()
        try:
            with stopping_signals(server):
                server.run(sockets=[sock])
        except KeyboardInterrupt:  # Ctrl+C, a closed window, a stop from the system
            pass
        finally:
            sock.close()
    say("indikator app är avslutad; de valda filerna är borttagna från den tillfälliga "
        "mappen.")
