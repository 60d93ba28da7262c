"""`draft` given an address and no file (issue #25): download the document and hand it on as a
file, so that it is read, archived and kept beside its text exactly as one a volunteer saved.

The standard library's urllib, which follows redirects and honours the proxy variables; a
timeout for each wait and one for the whole download (a server sending a byte now and then
never trips the first), our User-Agent, at most the size the drafter reads from a file
(source.py). The kind of document comes from the Content-Type the server sends, or, when that
says nothing (an octet-stream), from the address's suffix. Every failure is a refusal naming the address,
with what to do: often, save the document from a browser and draft from the file.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Optional

from generator.core.problems import Code, Problem
from generator.ingest import Refused

TIMEOUT = 30.0  # seconds a server may keep us waiting, for the answer or between parts of it
WHOLE_TIMEOUT = 120.0  # seconds the whole body may take (a list page is well under 1 MB; the largest allowed needs 170 kB/s)
USER_AGENT = "Mozilla/5.0 (compatible; minsheng-ledger-draft/1; a maintainer drafting a pledge list)"

# The kind read_source reads a file as, by its suffix: from the Content-Type, or the address.
# .doc goes through too, so that read_source refuses it saying what to do.
TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
    "application/msword": ".doc",
}
SUFFIXES = {".html": ".html", ".htm": ".html", ".shtml": ".html", ".xhtml": ".html", ".pdf": ".pdf", ".docx": ".docx", ".txt": ".txt", ".doc": ".doc"}
UNSAID = {"", "application/octet-stream", "binary/octet-stream", "application/download", "application/x-download", "application/force-download"}
SAVE_IT = "open it in a browser, save the document and draft from the file"


@dataclass
class Download:
    path: Path  # the body as the server sent it, named by its kind (download.html, download.pdf …)
    url: str  # the address given
    final_url: str  # where the redirects led (the address given when there were none)
    charset: Optional[str]  # the charset the server declared, if any

    def relabelled(self, refused: Refused) -> Refused:
        """A refusal about the downloaded file, naming the address instead of a temporary file."""
        problems = [replace(p, file=self.url) if p.file == str(self.path) else p for p in refused.problems]
        return Refused(problems, refused.advice)


def download(url: str, folder: Path) -> Download:
    """Download `url` into `folder`; refuse, naming the address, whatever goes wrong."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.build_opener().open(request, timeout=TIMEOUT) as response:
            final_url = response.geturl()
            suffix = _suffix(url, final_url, response.headers.get("Content-Type"))
            body = _body(url, response)
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        missing = exc.code in (404, 410)
        advice = "check the address" if missing else "try again later"
        raise _refused(url, Code.FILE_MISSING if missing else Code.FILE_UNREADABLE, f"the server answered HTTP {exc.code} ({exc.reason}): {advice}, or {SAVE_IT}") from None
    except (TimeoutError, urllib.error.URLError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError):
            raise _refused(url, Code.FILE_UNREADABLE, f"the server sent nothing for {TIMEOUT:g} seconds: try again later, or {SAVE_IT}") from None
        raise _refused(url, Code.FILE_UNREADABLE, f"could not reach the server ({reason}): check the address and the network, or {SAVE_IT}") from None
    except ValueError as exc:  # an address urllib cannot parse (http://[::1)
        raise _refused(url, Code.BAD_FORMAT, f"the address cannot be opened ({exc}): check it") from None
    except (OSError, http.client.HTTPException) as exc:
        raise _refused(url, Code.FILE_UNREADABLE, f"the download broke off ({exc!r}): try again later, or {SAVE_IT}") from None
    path = folder / f"download{suffix}"
    path.write_bytes(body)
    return Download(path, url, final_url, charset)


def _suffix(url: str, final_url: str, content_type: Optional[str]) -> str:
    """The kind of document, from what the server says it is or else from its address."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in TYPES:
        return TYPES[media]
    if media not in UNSAID:
        raise _refused(url, Code.BAD_FORMAT, f"the server sent {media}, not a web page, PDF, Word (.docx) or text file: give the address of the document itself, or {SAVE_IT}")
    for address in (final_url, url):
        suffix = PurePosixPath(urllib.parse.urlsplit(address).path).suffix.lower()
        if suffix in SUFFIXES:
            return SUFFIXES[suffix]
    said = f"Content-Type {media}" if media else "no Content-Type"
    raise _refused(url, Code.BAD_FORMAT, f"the server does not say what it sent ({said}) and the address does not end in .html, .pdf, .docx or .txt: {SAVE_IT}")


def _body(url: str, response) -> bytes:
    """The body, refused beyond the size the drafter reads from a file (at most that and one
    byte is read) or when it takes longer than WHOLE_TIMEOUT. read1 returns what one read of
    the socket brings, so the clock is looked at however slowly the bytes come."""
    from generator.ingest.draft import source

    limit = source.MAX_SOURCE_BYTES
    too_large = source.too_large(url, f"the server sends more than {limit / 1024 / 1024:.3g} MB")
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:  # said before it is sent
        raise too_large
    deadline = time.monotonic() + WHOLE_TIMEOUT
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        part = response.read1(min(65536, limit + 1 - size))
        if not part:
            return b"".join(parts)
        parts.append(part)
        size += len(part)
        if time.monotonic() > deadline and size <= limit:
            raise _refused(url, Code.FILE_UNREADABLE, f"the download took more than {WHOLE_TIMEOUT:g} seconds ({size / 1024:.0f} kB by then): try again later, or {SAVE_IT}")
    raise too_large


def _refused(url: str, code: Code, message: str) -> Refused:
    return Refused([Problem(url, 0, 0, "", code, message)])
