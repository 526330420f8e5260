"""A workbook's ZIP container judged before it is opened: size limits, encryption, macros, links, XML entities."""

from __future__ import annotations

import io
import re
import zipfile

from etl.config import Settings
from etl.intake.problems import Problem
from etl.intake.sniff import UTF8_BOM

MAX_ZIP_PARTS = 1000  # a workbook of a hundred sheets has a few hundred parts
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
PROLOG_LIMIT = 1024 * 1024  # an XML part's declarations never need more
CHUNK = 16384
MACRO_PARTS = re.compile(r"vbaproject[^/]*\.bin$|/macrosheets/|/dialogsheets/|/activex/", re.IGNORECASE)
MACRO_TYPES = ("macroenabled", "vbaproject", "macrosheet", "activex", "dialogsheet")
EXTERNAL_PARTS = re.compile(r"^xl/(externallinks/|connections\.xml$|querytables/)", re.IGNORECASE)


def _open_zip(data: bytes) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None


def zip_problems(data: bytes, settings: Settings) -> list[Problem]:
    """A workbook's container: size limits first (nothing is inflated before they pass), then its parts."""
    archive = _open_zip(data)
    if archive is None:
        return [Problem("unreadable_workbook")]
    with archive:
        parts = archive.infolist()
        problems = _bomb_problems(parts, len(data), settings)
        if problems:
            return problems
        if any(part.flag_bits & 0x1 for part in parts):
            return [Problem("encrypted_workbook")]
        names = [part.filename for part in parts]
        try:
            content_types = _small_part(archive, "[Content_Types].xml").lower()
        except (KeyError, OSError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
            content_types = ""
        if any(MACRO_PARTS.search(name) for name in names) or any(t in content_types for t in MACRO_TYPES):
            return [Problem("macro_workbook")]
        if not content_types or not any(name.lower().endswith("workbook.xml") for name in names):
            return [Problem("not_a_table")]
        for part in parts:
            verdict = _xml_part_verdict(archive, part)
            if verdict:
                return [Problem(verdict, value=part.filename)]
        if any(EXTERNAL_PARTS.search(name) for name in names):
            return [Problem("external_content")]
    return []


def _bomb_problems(parts: list[zipfile.ZipInfo], size: int, settings: Settings) -> list[Problem]:
    if len(parts) > MAX_ZIP_PARTS:
        return [Problem("zip_too_many_parts", params={"count": len(parts), "limit": MAX_ZIP_PARTS})]
    total = sum(part.file_size for part in parts)
    if total > MAX_UNCOMPRESSED_BYTES:
        return [
            Problem(
                "zip_too_large",
                params={
                    "size_mb": round(total / (1024 * 1024)),
                    "limit_mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024),
                },
            )
        ]
    ratio = total / max(size, 1)
    if ratio > settings.max_inflation_ratio:
        return [Problem("zip_inflation", params={"ratio": int(ratio), "limit": settings.max_inflation_ratio})]
    return []


def _small_part(archive: zipfile.ZipFile, name: str) -> str:
    info = archive.getinfo(name)
    if info.file_size > PROLOG_LIMIT:
        return ""
    with archive.open(info) as part:
        return part.read(PROLOG_LIMIT).decode("utf-8", errors="replace")


def _xml_encoding(head: bytes) -> str | None:
    """The encoding of an XML part from its first bytes; None when the part is not XML."""
    for prefix, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"<\x00", "utf-16-le"),
        (b"\x00<", "utf-16-be"),
    ):
        if head.startswith(prefix):
            return encoding
    text = head[3:] if head.startswith(UTF8_BOM) else head
    return "utf-8-sig" if text.lstrip().startswith(b"<") else None


def _prolog_verdict(text: str) -> str:
    """'dtd' when the prolog declares a document type, 'clean' at the root element, 'more' to read on."""
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if n - i < 10:
            return "more"
        if text.startswith("<?", i) or text.startswith("<!--", i):
            closing = "?>" if text[i + 1] == "?" else "-->"
            end = text.find(closing, i + 2)
            if end < 0:
                return "more"
            i = end + len(closing)
            continue
        return "dtd" if text.startswith("<!", i) else "clean"


def _xml_part_verdict(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """'xml_entities' for a DTD in the part's prolog, 'unreadable_workbook' when it cannot be read."""
    try:
        with archive.open(info) as part:
            buffer = part.read(CHUNK)
            encoding = _xml_encoding(buffer)
            if encoding is None:
                return None
            while True:
                verdict = _prolog_verdict(buffer.decode(encoding, errors="ignore"))
                if verdict != "more":
                    return "xml_entities" if verdict == "dtd" else None
                more = part.read(CHUNK) if len(buffer) < PROLOG_LIMIT else b""
                if not more:
                    return None if len(buffer) < PROLOG_LIMIT else "unreadable_workbook"
                buffer += more
    except (OSError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError):
        return "unreadable_workbook"
