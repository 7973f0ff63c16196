"""Text hygiene: bytes to text (encodings, binary), text repair (mojibake, spaces), language id.

Used by the readers (:func:`decode_bytes`, :func:`looks_binary`) and by ``prepare``
(:func:`normalize_text`, :func:`detect_language`). Everything here runs offline.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache

import charset_normalizer
import ftfy

from crosswire.errors import InputRejected

SNIFF_BYTES = 8192  # how much of an input the binary test looks at
DECLARATION_BYTES = 2048  # where a <meta charset> or XML declaration must be

# Byte order marks, longest first (UTF-32 LE starts like UTF-16 LE).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of formats that are never a news text (checked at offset 0 unless stated).
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office/EPUB document)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
    (b"RIFF", "a RIFF media file (WebP, WAV, AVI)"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O file"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\x00asm", "a WebAssembly module"),
    (b"wOFF", "a WOFF font"),
    (b"wOF2", "a WOFF2 font"),
)

# Control bytes that never occur in text (tab, newlines, form feed and ESC excluded).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), 0x1C, 0x1D, 0x1E, 0x1F, 0x7F])
_CONTROL_RATIO = 0.05

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")

# Single-byte Latin-script encodings that charset detection confuses on short text; among them the
# decoding that the language model finds most convincing wins, cp1252 (the web's default) on ties.
_LATIN_FAMILY = frozenset(
    {
        "cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "latin_1", "iso8859_2", "iso8859_3",
        "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
        "iso8859_16", "cp437", "cp775", "cp850", "cp852", "cp858", "mac_roman", "mac_latin2",
        "mac_iceland", "mac_turkish",
    }
)
_LATIN_CANDIDATES = ("cp1252", "cp1250", "cp1257", "cp1254")
_COHERENT = 0.2  # charset-normalizer's language coherence above which a non-Latin guess is trusted
# WHATWG: documents labelled latin-1 or ASCII are decoded as windows-1252 by every browser.
_DECLARED_ALIASES = {"latin_1": "cp1252", "ascii": "cp1252", "iso8859_1": "cp1252"}


def binary_kind(data: bytes) -> str | None:
    """What binary thing ``data`` looks like (``"a PNG image"``, ``"NUL bytes"``), or None for text."""
    head = data[:SNIFF_BYTES]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head[4:8] == b"ftyp":
        return "an MP4/QuickTime media file"
    if head.startswith(b"BZh") and head[4:10] == b"1AY&SY":
        return "bzip2-compressed data"
    if _bom(head):
        return None  # UTF-16/32 text is full of NUL bytes
    if b"\x00" in head:
        return "NUL bytes"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls / len(head) > _CONTROL_RATIO:
        return "control characters"
    return None


def looks_binary(data: bytes) -> bool:
    """True when ``data`` is an image, archive, executable or other non-text bytes."""
    return binary_kind(data) is not None


def _bom(data: bytes) -> tuple[bytes, str] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    return None


def _codec_name(label: str | None) -> str | None:
    """Python's codec name for a charset label, or None when Python does not know it."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    name = name.replace("-", "_")
    return _DECLARED_ALIASES.get(name, name)


def sniff_declared_charset(data: bytes) -> str | None:
    """The charset an XML declaration or ``<meta>`` tag in the first 2 KB declares, if any."""
    head = data[:DECLARATION_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that surrogateescape could not decode


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray legacy bytes (a cp1252 quote pasted into a UTF-8 page), repaired."""
    text = data.decode("utf-8", errors="surrogateescape")  # bad byte b -> U+DC00+b
    bad = len(_ESCAPED.findall(text))
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    if not bad or good <= bad:
        return None
    return _ESCAPED.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", "replace"), text)



def _latin_best(data: bytes, guess: str | None) -> str | None:
    """Among the Latin single-byte decodings, the one whose accented words read most naturally."""
    candidates = list(dict.fromkeys([*_LATIN_CANDIDATES, *([guess] if guess else [])]))
    best: tuple[float, int, str] | None = None
    for order, encoding in enumerate(candidates):
        text = _try_decode(data, encoding)
        if text is None or any(0x80 <= ord(ch) <= 0x9F for ch in text):
            continue
        accented = " ".join(w for w in text[:20000].split() if any(ord(ch) > 0x7F for ch in w))
        score = _identifier().classify(accented)[1] if accented else 1.0
        key = (score, -order, text)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Bytes to text: BOM, then the declared charset, then UTF-8, then the best-supported guess.

    ``declared`` is the charset an HTTP header names; without it, a ``<meta charset>`` or XML
    declaration in the first 2 KB is used. Valid UTF-8 with non-ASCII characters is read as UTF-8
    whatever is declared (mislabelled UTF-8 is common; the reverse is not). Raises
    :class:`InputRejected` (``undecodable``) for binary data or bytes no text encoding explains.
    """
    if not data:
        return ""
    bom = _bom(data)
    if bom:
        text = _try_decode(data[len(bom[0]) :], bom[1])
        if text is not None:
            return text
    kind = binary_kind(data)
    if kind is not None:
        raise InputRejected(
            f"the content is binary ({kind}), not text; pass the article as HTML, text, JSON, "
            "a feed or a WARC file",
            source=source,
            code="undecodable",
        )
    utf8 = _try_decode(data, "utf-8")
    if utf8 is not None and not data.isascii():
        return utf8  # valid multi-byte UTF-8 is never an accident: it beats a (mis)declared charset
    for label in (declared, sniff_declared_charset(data)):
        encoding = _codec_name(label)
        if encoding and not encoding.startswith(("utf_16", "utf_32")):  # without a BOM: mislabelled
            text = _try_decode(data, encoding)
            if text is None and encoding == "cp1252":
                text = _try_decode(data, "latin_1")
            if text is not None:
                return text
    if utf8 is not None:
        return utf8
    text = _mostly_utf8(data)
    if text is not None:
        return text
    return _guess(data, source)


def _guess(data: bytes, source: str) -> str:
    results = [
        r
        for r in charset_normalizer.from_bytes(data)
        # UTF-16/32 without a BOM and without NUL bytes is never right for real text
        if not (r.encoding.startswith(("utf_16", "utf_32")) and b"\x00" not in data)
    ]
    if not results:
        raise InputRejected(
            "no text encoding explains these bytes (not UTF-8, and no legacy charset fits); "
            "re-save the file as UTF-8 or declare its charset",
            source=source,
            code="undecodable",
        )
    best = results[0]
    # A non-Latin guess backed by language evidence (Cyrillic, Greek, CJK...) is trusted; otherwise,
    # when a Latin encoding fits as cleanly, the language model picks among the Latin decodings.
    if best.encoding not in _LATIN_FAMILY and best.coherence >= _COHERENT:
        return str(best)
    latin = [r.encoding for r in results if r.chaos <= best.chaos and r.encoding in _LATIN_FAMILY]
    if latin or best.encoding in _LATIN_FAMILY:
        text = _latin_best(data, latin[0] if latin else None)
        if text is not None:
            return text
    return str(best)


# ftfy repairs mojibake but must leave typography alone: curly quotes, dashes and full-width
# characters are legitimate in news text.
_FTFY = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=True,
    normalization="NFC",
    explain=False,
)
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f]")
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u2060\ufeff\u0080-\u009f]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


# What ftfy's fixes act on: HTML entities, terminal escapes, Latin-1 and Latin Extended letters
# (every UTF-8-as-cp1252 mojibake contains one, e.g. "Ã", "â", "Å"), C1 controls, ligatures, odd
# line separators, surrogates and the replacement character. A line with none of them, such as
# ASCII text with curly quotes and dashes, is a fixed point of ftfy with our settings.
_FTFY_TARGETS = re.compile("[&\x1b\u0080-\u02ff\u2028\u2029\ufb00-\ufb4f\ud800-\udfff\ufffd]")


def _ftfy_may_change(line: str) -> bool:
    """Whether ftfy could change a line (see ``_FTFY_TARGETS``)."""
    return not line.isascii() and _FTFY_TARGETS.search(line) is not None or "&" in line or "\x1b" in line


def _fix_mojibake(text: str) -> str:
    """ftfy on the lines it could change (it works line by line anyway): most news lines are ASCII."""
    if not _ftfy_may_change(text):
        return text
    lines = text.split("\n")
    return "\n".join(ftfy.fix_text(line, _FTFY) if _ftfy_may_change(line) else line for line in lines)


def normalize_text(text: str) -> str:
    """Repair mojibake, NFC-normalize, unify newlines, tidy odd spaces and controls, strip line ends.

    Curly quotes, en/em dashes and every other legitimate character stay as they are.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n").replace("\f", "\n")
    text = _fix_mojibake(text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROLS.sub("", text)
    # not re.sub(r"[ \t]+$", MULTILINE): it is quadratic in a long run of spaces inside a line
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


MIN_LANGUAGE_LETTERS = 20
_MIN_CONFIDENCE = 0.25
_LANGUAGE_CHARS = 10000  # the start of a long text says its language well enough


@cache
def _identifier():  # type: ignore[no-untyped-def]
    """py3langid's model, loaded once per process on first use."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def has_letters(text: str, n: int) -> bool:
    """Whether ``text`` has at least ``n`` letters (``str.isalpha``); stops counting at the ``n``-th, so a
    long text costs no more than its first few words."""
    if n <= 0:
        return True
    for ch in text:
        if ch.isalpha():
            n -= 1
            if n == 0:
                return True
    return False


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None for too little text or no clear answer."""
    sample = text[:_LANGUAGE_CHARS]
    if not has_letters(sample, MIN_LANGUAGE_LETTERS):
        return None
    code, confidence = _identifier().classify(sample)
    if len(code) != 2 or confidence < _MIN_CONFIDENCE:
        return None
    return code
