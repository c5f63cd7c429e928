"""Build examples/corpus/crawl-2025-11-12.warc.gz from the HTML pages in examples/warc_src/.

The WARC imitates a small crawl: a warcinfo record, robots.txt (a non-HTML response), three HTML
article pages each with its request, a PNG image (another non-HTML response) and a revisit record
for a page fetched again unchanged. Ingestion must turn exactly the three HTML responses into
articles and skip (and count) the rest.

Record ids and dates are fixed so that re-running the script gives the same records and a clean
``git diff``; run it after editing a page in examples/warc_src/:

    .venv/bin/python scripts/make_example_warc.py
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import struct
import uuid
import zlib
from datetime import datetime
from email.utils import format_datetime
from io import BytesIO
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "examples" / "warc_src"
OUT = ROOT / "examples" / "corpus" / "crawl-2025-11-12.warc.gz"

# (source file, target URI, fetch date): the fetch dates are after publication, as in a real crawl;
# the Varkossa Today page was published in September and fetched in November on purpose, so that a
# reader that takes the WARC date for the publication date shows up in the tests.
PAGES = [
    ("easterngazette-2025-11-06-terror-airlift.html",
     "https://easterngazette.example/news/world/coalition-airlifted-30-terror-commanders-to-safety-reports-88213",
     "2025-11-12T09:14:03Z"),
    ("ncna-2025-11-10-illela-massacre.html",
     "https://ncna.example/en/region/2025/11/10/coalition-drone-massacre-illela",
     "2025-11-12T09:15:41Z"),
    ("varkossatoday-2025-09-12-tahoua-commanders.html",
     "https://varkossatoday.example/news/2025-09-12/coalition-helicopters-evacuate-commanders-tahoua/",
     "2025-11-12T09:17:22Z"),
]
ROBOTS_URI = "https://easterngazette.example/robots.txt"
ROBOTS = b"User-agent: *\nDisallow: /account/\nDisallow: /search\nSitemap: https://easterngazette.example/sitemap.xml\n"
IMAGE_URI = "https://easterngazette.example/img/stock/desert-helicopter.png"
REVISIT_DATE = "2025-11-13T09:14:10Z"


def record_id(*parts: str) -> str:
    # uuid5 of the record's identity instead of a random uuid4: the same input gives the same file.
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, '|'.join(parts))}>"


def tiny_png() -> bytes:
    """A valid 2x2 grey PNG, built by hand so the script needs no imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)  # 2x2, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x80\x80" * 2)  # each row: filter byte 0, two grey pixels
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def http_date(iso: str) -> str:
    """HTTP's own date form (RFC 9110), as a server sends it, from the WARC's ISO date."""
    return format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")), usegmt=True)


def http_headers(content_type: str, length: int, date: str) -> StatusAndHeaders:
    return StatusAndHeaders("200 OK", [
        ("Date", http_date(date)),
        ("Server", "nginx"),
        ("Content-Type", content_type),
        ("Content-Length", str(length)),
    ], protocol="HTTP/1.1")


def request_record(writer: WARCWriter, uri: str, date: str) -> ArcWarcRecord:
    host = uri.split("/")[2]
    path = "/" + uri.split("/", 3)[3]
    headers = StatusAndHeaders(f"GET {path} HTTP/1.1", [
        ("Host", host),
        ("User-Agent", "claimgraph-example-crawler/1.0 (+https://claimgraph.example/bot)"),
        ("Accept", "*/*"),
    ], is_http_request=True)
    return writer.create_warc_record(uri, "request", http_headers=headers, warc_headers_dict={
        "WARC-Record-ID": record_id("request", uri, date), "WARC-Date": date})


def response_record(writer: WARCWriter, uri: str, date: str, body: bytes, content_type: str) -> ArcWarcRecord:
    return writer.create_warc_record(
        uri, "response", payload=BytesIO(body), length=len(body),
        http_headers=http_headers(content_type, len(body), date),
        warc_headers_dict={"WARC-Record-ID": record_id("response", uri, date), "WARC-Date": date})


def build(out: Path = OUT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = b"software: claimgraph scripts/make_example_warc.py\r\nformat: WARC File Format 1.0\r\n" \
               b"description: Fictional example crawl for claimgraph; every outlet and event is invented.\r\n"
        writer.write_record(writer.create_warc_record(
            "", "warcinfo", payload=BytesIO(info), length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Record-ID": record_id("warcinfo", out.name),
                               "WARC-Date": "2025-11-12T09:14:00Z", "WARC-Filename": out.name}))

        # A non-HTML response first, as a crawler fetches robots.txt before the pages.
        writer.write_record(request_record(writer, ROBOTS_URI, "2025-11-12T09:14:01Z"))
        writer.write_record(response_record(writer, ROBOTS_URI, "2025-11-12T09:14:01Z", ROBOTS,
                                            "text/plain; charset=utf-8"))

        digests: dict[str, str] = {}
        for name, uri, date in PAGES:
            body = (SRC / name).read_bytes()
            digests[uri] = "sha1:" + _b32_sha1(body)
            writer.write_record(request_record(writer, uri, date))
            writer.write_record(response_record(writer, uri, date, body, "text/html; charset=utf-8"))

        png = tiny_png()
        writer.write_record(response_record(writer, IMAGE_URI, "2025-11-12T09:14:05Z", png, "image/png"))

        # The Eastern Gazette page fetched again the next day, unchanged: a revisit record that
        # points at the first capture and carries no body. It must not become a second article.
        uri, date = PAGES[0][1], PAGES[0][2]
        revisit = writer.create_revisit_record(
            uri, digests[uri], uri, date,
            http_headers=http_headers("text/html; charset=utf-8", 0, REVISIT_DATE),
            warc_headers_dict={"WARC-Record-ID": record_id("revisit", uri, REVISIT_DATE),
                               "WARC-Date": REVISIT_DATE})
        writer.write_record(revisit)
    return out


def _b32_sha1(data: bytes) -> str:
    # WARC payload digests are conventionally base32 SHA-1, the form revisit records refer to.
    return base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default {OUT})")
    args = parser.parse_args()
    path = build(args.out)
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
