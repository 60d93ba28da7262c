"""What `make serve` does when a rebuild fails: the browser is told, not left waiting.

MkDocs' dev server (mkdocs/livereload) answers a request only once the build it waits for
has finished; a failed rebuild never finishes, so every request hung until a build succeeded
("The server will appear stuck until build errors are resolved"). `Guard`, which the plugin
installs in on_serve, wraps the server's builder and its WSGI app: a failed rebuild counts as
done, and until a build succeeds every request gets one page that says what failed — the
warnings and errors the build logged, as the terminal shows them — and that reloads by itself
(MkDocs' livereload script) when the next build succeeds. The pages of the last good build are
not served meanwhile: a failed build may have written part of the site.

A rebuild cannot pick up edited Python: the modules stay as imported at start, while templates
are read again, so after a `git pull` old code meets new templates. When the generator's code
changed since `make serve` started, the rebuild is not tried; the terminal and the page say to
restart `make serve`.
"""

from __future__ import annotations

import hashlib
import html
import logging
import sys
import threading
import traceback
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.ledger")

GENERATOR = Path(__file__).resolve().parent.parent

CODE_CHANGED = (
    "the generator's code (generator/**/*.py) changed since make serve started, and a running server keeps the code it started with: stop make serve (Ctrl-C) and start it again."
)

_BUILD_FAILED = (
    "构建失败，网站没有更新",
    "刚保存的改动让构建失败了。下面是终端里的同样内容：出错的文件、行、列，哪里不对，怎么改。改好并保存后，本页会自动刷新。",
    "The last change broke the build; below is what the terminal shows (file:line:col, what is wrong, how to fix it). Fix it and save: this page reloads by itself.",
)
_RESTART = (
    "请重启 make serve",
    "make serve 启动后，生成器的代码（generator/ 下的 .py 文件）改动了（比如 git pull 之后）。正在运行的 make serve 仍是启动时的旧代码，不能用它构建：请在终端按 Ctrl-C 停止 make serve，再重新运行 make serve。",
    "The generator's code changed since make serve started (after a git pull, say); the running server still has the old code. Stop make serve (Ctrl-C) and start it again.",
)


def code_digest(folder: Path = GENERATOR) -> str:
    """One hash of every .py file of the generator, names and contents."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes() + b"\0")
        except OSError:  # removed while we looked (a git checkout): it changed
            digest.update(b"\1")
    return digest.hexdigest()


class Guard:
    """The dev server's builder and app, wrapped so that a failed rebuild gives an error page."""

    def __init__(self, server, code: str):
        self.server = server  # mkdocs.livereload.LiveReloadServer
        self.code = code  # code_digest() when `make serve` started
        self.failed: bytes | None = None  # the error page, while the last build failed
        self._build = server.builder
        self._app = server.get_app()
        self._building = False
        self._idle = threading.Condition()
        server.builder = self.build
        server.set_app(self.app)

    def build(self) -> None:
        """Called by the server's build loop for every rebuild; never raises, so that the
        server counts the build as done and tells the open pages to reload."""
        with self._idle:
            self._building = True
        try:
            self.failed = self._try_build()
        finally:
            with self._idle:
                self._building = False
                self._idle.notify_all()

    def _try_build(self) -> bytes | None:
        """The error page of this rebuild; None when it succeeded."""
        if code_digest() != self.code:
            log.error(CODE_CHANGED)
            return error_page(_RESTART, [CODE_CHANGED])
        with _Logged() as logged:
            try:
                self._build()
                return None
            except Exception as exc:  # what MkDocs' build loop would print, and catch
                told = str(exc) if isinstance(exc, SystemExit) else "".join(traceback.format_exception(exc)).rstrip()
        print(told, file=sys.stderr)  # as MkDocs does
        log.error("The site was not rebuilt: until a build succeeds, the browser shows the problems above (and reloads by itself).")
        return error_page(_BUILD_FAILED, [*logged.lines, told])

    def app(self, environ, start_response):
        """MkDocs' app, but while the last build failed every page is the error page (the
        livereload polls still go through: they reload it once a build succeeds)."""
        if environ.get("PATH_INFO", "").startswith("/livereload/"):
            return self._app(environ, start_response)
        with self._idle:  # a request during a rebuild gets its outcome
            self._idle.wait_for(lambda: not self._building)
        page = self.failed
        if page is None:
            return self._app(environ, start_response)
        page = self.server._inject_js_into_html(page, self.server._visible_epoch)  # MkDocs' livereload script
        start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))])
        return [page]


class _Logged(logging.Handler):
    """The warnings and errors MkDocs and the plugins log during one build (not the server's
    request log), as the lines the terminal shows."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith("mkdocs.livereload"):
            self.lines.append(record.getMessage())

    def __enter__(self) -> _Logged:
        logging.getLogger("mkdocs").addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger("mkdocs").removeHandler(self)


def error_page(wording: tuple[str, str, str], lines: list[str]) -> bytes:
    """A whole HTML page, its styles inline: written here, not in a template, because it must
    show when the templates or the code behind them are what broke."""
    heading, zh, en = (html.escape(s) for s in wording)
    shown = html.escape("\n".join(lines))
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{heading} - 民生实事台账</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.6; }}
h1 {{ color: #b3261e; font-size: 1.6rem; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; padding: 1rem; border: 1px solid #b3261e; border-radius: 4px; }}
</style>
</head>
<body>
<main>
<h1>{heading}</h1>
<p>{zh}</p>
<p lang="en">{en}</p>
<pre id="problems">{shown}</pre>
</main>
</body>
</html>
""".encode()
