"""`draft` given an address and no file (issue #25): the document downloaded is drafted exactly
as the same file saved, its original kept beside the archive, the address and today recorded;
every failure a refusal naming the address, with nothing written. The server is a local
http.server on 127.0.0.1 serving the fixtures of tests/fixtures/ingest/documents.py, and no
connection may go anywhere else.
"""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import threading
from pathlib import Path

import pytest
from fixtures.ingest.documents import gov_page, seed_paragraphs, write_docx, write_pdf

from conftest import ROOT
from generator.cli import main
from generator.data.dataset import load_dataset
from generator.ingest import Refused, draft
from generator.ingest.draft import fetch, source

TODAY = dt.date(2025, 3, 1)
YICHANG = "003_b32ee5a4fa5c90c7.txt"
SMALL = ["测试市2024年民生实事项目", "1.新增托位1680个。（牵头单位：市卫健委）", "2.改造老旧小区200个。（牵头单位：市住建局）"]


class Server:
    """A local server: `routes` maps a path to (status, headers, body); `stall` paths wait
    before answering until the test ends; `trickle` paths send their body a byte at a time,
    0.05 s apart; `hits` are the paths asked for."""

    def __init__(self):
        self.routes: dict = {}
        self.stall: set = set()
        self.trickle: set = set()
        self.hits: list = []
        self.release = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits.append(self.path)
                if self.path in outer.stall:
                    outer.release.wait(10)
                    return
                status, headers, body = outer.routes.get(self.path, (404, {}, b"not here"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.path not in outer.trickle:
                    self.wfile.write(body)
                    return
                try:
                    for k in range(len(body)):
                        self.wfile.write(body[k : k + 1])
                        self.wfile.flush()
                        if outer.release.wait(0.05):
                            return
                except OSError:  # the client gave up
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, path: str, body: bytes, content_type: str | None, status: int = 200, **headers) -> str:
        named = {"Content-Type": content_type, "Content-Length": str(len(body))} | {k.replace("_", "-"): v for k, v in headers.items()}
        self.routes[path] = (status, {k: v for k, v in named.items() if v is not None}, body)
        return self.base + path


@pytest.fixture(autouse=True)
def only_localhost(monkeypatch):
    """No proxy, and no connection beyond 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    connect = socket.create_connection

    def local_only(address, *args, **kwargs):
        assert address[0] == "127.0.0.1", f"the test tried to reach {address}"
        return connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", local_only)


@pytest.fixture
def server():
    s = Server()
    thread = threading.Thread(target=s.httpd.serve_forever, daemon=True)
    thread.start()
    yield s
    s.release.set()
    s.httpd.shutdown()
    s.httpd.server_close()


def without_url_and_retrieved(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.startswith(("    url:", "    retrieved:")))


def yichang_page() -> bytes:
    notice = seed_paragraphs(YICHANG, "宜府办发〔2024〕21号", "宜昌市人民政府办公室 2024年4月3日印发")
    return gov_page("市人民政府办公室关于印发宜昌市落实湖北省2024年十大民生项目工作方案的通知", notice, saved_from=False).encode("utf-8")


def yichang_file(tmp_path: Path, kind: str) -> Path:
    notice = seed_paragraphs(YICHANG, "宜府办发〔2024〕21号", "宜昌市人民政府办公室 2024年4月3日印发")
    if kind == "pdf":
        return write_pdf(tmp_path / "yichang.pdf", notice)
    if kind == "docx":
        return write_docx(tmp_path / "yichang.docx", notice)
    path = tmp_path / "yichang.html"
    path.write_bytes(yichang_page())
    return path


# --- what a download drafts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, content_type, address",
    [
        ("html", "text/html; charset=utf-8", "/zfxxgk/2024/0403/1234.shtml"),
        ("pdf", "application/pdf", "/module/download/downfile.jsp?classid=0&id=1"),
        ("docx", "application/octet-stream", "/attach/2024/yichang.docx"),  # no type said: the suffix tells
    ],
)
def test_a_download_drafts_the_same_year_file_as_the_file_saved_and_keeps_the_original(tmp_path, server, kind, content_type, address):
    saved = yichang_file(tmp_path, kind)
    url = server.serve(address, saved.read_bytes(), content_type)
    by_file, by_url = tmp_path / "by-file", tmp_path / "by-url"
    for root in (by_file, by_url):
        (root / "data").mkdir(parents=True)
        (root / "data" / "topics.yml").write_bytes((ROOT / "data" / "topics.yml").read_bytes())
    from_file = draft.draft_year_file(by_file, "yichang", 2024, saved, today=TODAY)
    from_url = draft.draft_year_file(by_url, "yichang", 2024, None, url=url, today=TODAY)
    assert without_url_and_retrieved(from_url.text) == without_url_and_retrieved(from_file.text)
    assert from_url.archive == from_file.archive == "sources/captures/yichang-2024-list.txt"
    assert (by_url / from_url.archive).read_bytes() == (by_file / from_file.archive).read_bytes()
    assert (by_url / f"sources/captures/yichang-2024-list.{kind}").read_bytes() == saved.read_bytes()  # the original, as sent
    assert f"    url: {url}\n    obtained:" in from_url.text  # as given, no TODO: we fetched it ourselves
    assert f"    retrieved: {TODAY.isoformat()}\n" in from_url.text
    entry = load_dataset(by_url, today=TODAY, cache=False).lists[("yichang", 2024)].data.sources[0]
    assert (entry.url, entry.retrieved) == (url, TODAY)


def test_a_redirect_is_followed_and_the_address_given_recorded_with_the_final_one_beside_it(root, server, capsys):
    final = server.serve("/content/2024-04/03/content_1234.html", gov_page("测试市2024年民生实事项目", SMALL, saved_from=False).encode("utf-8"), "text/html")
    given = server.serve("/art/2024/4/3/art_1234.html", b"", None, status=301, Location=final)
    assert main(["--root", str(root), "draft", "ceshi", "2024", "--url", given]) == 0, capsys.readouterr().err
    text = (root / "data/ceshi/2024.yml").read_text(encoding="utf-8")
    assert f"    url: {given}  # the server redirected it to {final}\n" in text
    assert f"    retrieved: {dt.date.today().isoformat()}\n" in text
    assert (root / "sources/captures/ceshi-2024-list.html").is_file()


@pytest.mark.parametrize("encoding, charset", [("gbk", "GBK"), ("big5", "big5")])  # Big5 read as GB18030 would be nonsense
def test_a_page_is_read_in_the_charset_its_server_declares(root, server, encoding, charset):
    page = gov_page(SMALL[0], SMALL, saved_from=False).replace('<meta charset="utf-8">', "")  # the page itself declares nothing
    if encoding == "big5":
        from opencc import OpenCC

        page = OpenCC("s2t").convert(page)  # a site in traditional characters, its furniture too
    url = server.serve("/list.htm", page.encode(encoding), f"text/html; charset={charset}")
    outcome = draft.draft_year_file(root, "ceshi", 2024, None, url=url, today=TODAY)
    assert [i["text"] for i in outcome.data["items"]] == ["新增托位1680个。", "改造老旧小区200个。"]
    item = page[page.index("1.") : page.index("</p>", page.index("1."))]
    assert item in (root / outcome.archive).read_text(encoding="utf-8")  # the archive keeps the characters sent
    assert (root / "sources/captures/ceshi-2024-list.html").read_bytes() == page.encode(encoding)


def test_a_text_file_is_drafted_as_pasted_text(root, server):
    url = server.serve("/list.txt", "\n".join(SMALL).encode("gb18030"), "text/plain")
    outcome = draft.draft_year_file(root, "ceshi", 2024, None, url=url, today=TODAY)
    assert len(outcome.data["items"]) == 2 and outcome.data["sources"][0]["obtained"] == "文本存档"


def test_with_a_file_and_an_address_the_file_is_read_and_nothing_downloaded(root, tmp_path, server):
    saved = tmp_path / "list.txt"
    saved.write_text("\n".join(SMALL), encoding="utf-8")
    url = server.serve("/list.txt", b"1.something else", "text/plain")
    outcome = draft.draft_year_file(root, "ceshi", 2024, saved, url=url, today=TODAY)
    assert len(outcome.data["items"]) == 2 and server.hits == []
    assert f"    url: {url}\n" in outcome.text


# --- refusals ---------------------------------------------------------------------------------------------------


def refusal(root: Path, url: str) -> str:
    with pytest.raises(Refused) as refused:
        draft.draft_year_file(root, "ceshi", 2024, None, url=url, today=TODAY)
    (problem,) = refused.value.problems
    assert problem.file == url
    assert not (root / "data" / "ceshi").exists() and not (root / "sources").exists()  # nothing written
    return problem.message


def test_an_http_error_is_refused_with_its_status(root, server):
    assert "the server answered HTTP 404 (Not Found): check the address" in refusal(root, server.base + "/gone.html")
    url = server.serve("/broken.html", b"oops", "text/html", status=500)
    assert "the server answered HTTP 500 (Internal Server Error): try again later" in refusal(root, url)


def test_a_server_that_stalls_is_given_up_on_after_the_timeout(root, server, monkeypatch):
    monkeypatch.setattr(fetch, "TIMEOUT", 0.3)
    server.stall.add("/slow.html")
    assert "the server sent nothing for 0.3 seconds" in refusal(root, server.base + "/slow.html")


def test_a_server_that_sends_a_byte_now_and_then_is_given_up_on_after_the_whole_timeout(root, server, monkeypatch):
    monkeypatch.setattr(fetch, "WHOLE_TIMEOUT", 0.3)
    url = server.serve("/drip.txt", "\n".join(SMALL).encode("utf-8"), "text/plain")
    server.trickle.add("/drip.txt")
    message = refusal(root, url)
    assert "the download took more than 0.3 seconds" in message and "save the document" in message


def test_an_unreachable_host_is_refused(root):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    assert "could not reach the server" in refusal(root, f"http://127.0.0.1:{port}/list.html")


@pytest.mark.parametrize("length", ["said", "unsaid"])
def test_a_body_larger_than_the_drafter_reads_is_refused(root, server, monkeypatch, length):
    monkeypatch.setattr(source, "MAX_SOURCE_BYTES", 1000)
    body = gov_page(SMALL[0], SMALL * 20, saved_from=False).encode("utf-8")
    url = server.serve("/big.html", body, "text/html", Content_Length=str(len(body)) if length == "said" else None)
    assert "the server sends more than" in refusal(root, url)


def test_a_body_at_the_limit_is_read(root, server, monkeypatch):
    body = "\n".join(SMALL).encode("utf-8")
    monkeypatch.setattr(source, "MAX_SOURCE_BYTES", len(body))
    url = server.serve("/list.txt", body, "text/plain", Content_Length=None)
    assert len(draft.draft_year_file(root, "ceshi", 2024, None, url=url, today=TODAY).data["items"]) == 2


def test_what_is_not_a_document_is_refused_saying_what_it_is(root, server):
    url = server.serve("/list.png", b"\x89PNG\r\n\x1a\n", "image/png")
    assert "the server sent image/png, not a web page, PDF, Word (.docx) or text file" in refusal(root, url)
    url = server.serve("/download.jsp?id=3", b"%PDF-1.7", "application/octet-stream")
    assert "does not say what it sent (Content-Type application/octet-stream)" in refusal(root, url)
    url = server.serve("/list.doc", b"\xd0\xcf\x11\xe0", "application/msword")
    assert "save it as .docx" in refusal(root, url)


def test_a_document_that_cannot_be_drafted_is_refused_naming_its_address(root, server):
    url = server.serve("/empty.txt", b"   \n", "text/plain")
    assert "the file is empty" in refusal(root, url)


def test_neither_a_file_nor_an_address_is_refused_saying_what_to_give(root, capsys):
    assert main(["--root", str(root), "draft", "ceshi", "2024"]) == 1
    assert "no source: give the file to draft from (FROM=… for make), or its address (URL=…, --url)" in capsys.readouterr().err
