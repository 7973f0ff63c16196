"""Text hygiene: decoding bytes, spotting binary data, repairing text, naming the language."""

from __future__ import annotations

import pytest

from crosswire.errors import InputRejected
from crosswire.ingest.hygiene import decode_bytes, detect_language, has_letters, looks_binary, normalize_text

CAFE_FR = "Le café du coin a fermé, a dit « bonjour » à l’hôtel — vraiment : “c’est fini”."


def test_utf8_and_bom_are_decoded():
    assert decode_bytes(CAFE_FR.encode("utf-8"), "x") == CAFE_FR
    assert decode_bytes(b"\xef\xbb\xbf" + CAFE_FR.encode("utf-8"), "x") == CAFE_FR
    assert decode_bytes(CAFE_FR.encode("utf-16"), "x") == CAFE_FR


def test_undeclared_cp1252_keeps_curly_quotes_and_accents():
    text = "The café said: “we’re closed” – for now, and à bientôt."
    assert decode_bytes(text.encode("cp1252"), "x") == text


def test_undeclared_latin1_decodes_right():
    text = "Ein Bericht über die Straße in München: café, Grüße."
    assert decode_bytes(text.encode("latin-1"), "x") == text
    assert decode_bytes("café".encode("latin-1"), "x") == "café"


def test_other_legacy_encodings_are_not_forced_into_cp1252():
    polish = "Zażółć gęślą jaźń, powiedział prezydent w Warszawie."
    russian = "Правительство объявило о новых мерах во вторник."
    assert decode_bytes(polish.encode("cp1250"), "x") == polish
    assert decode_bytes(russian.encode("cp1251"), "x") == russian


def test_declared_charset_wins_over_guessing():
    html = '<html><head><meta charset="windows-1252"></head><body>café “ok”</body></html>'
    assert "café “ok”" in decode_bytes(html.encode("cp1252"), "x")
    assert "café" in decode_bytes(html.encode("cp1252").replace(b"windows-1252", b"iso-8859-15"), "x")
    xml = b'<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>caf\xe9</title></rss>'
    assert "café" in decode_bytes(xml, "x")
    assert decode_bytes("café".encode("latin-1"), "x", declared="iso-8859-1") == "café"


def test_utf8_wins_over_a_wrong_declaration():
    text = "Grüße aus Köln — “zitiert”"
    assert decode_bytes(text.encode("utf-8"), "x", declared="ascii") == text
    assert decode_bytes(text.encode("utf-8"), "x", declared="iso-8859-1") == text
    assert decode_bytes(text.encode("utf-8"), "x", declared="no-such-charset") == text


def test_stray_legacy_bytes_in_utf8_are_repaired():
    data = "Der Bericht über Straße, Grüße aus Köln".encode() + b" \x93quoted\x94"
    assert decode_bytes(data, "x") == "Der Bericht über Straße, Grüße aus Köln “quoted”"


def test_binary_bytes_are_undecodable():
    with pytest.raises(InputRejected) as err:
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "img.html")
    assert err.value.code == "undecodable"
    assert "PNG" in err.value.message
    with pytest.raises(InputRejected) as err:
        decode_bytes(b"text\x00with\x00nuls", "x")
    assert err.value.code == "undecodable"


def test_looks_binary():
    assert looks_binary(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    assert looks_binary(b"%PDF-1.7\n")
    assert looks_binary(b"\x1f\x8b\x08\x00")
    assert looks_binary(bytes(range(1, 32)) * 10)
    assert not looks_binary(CAFE_FR.encode("utf-8"))
    assert not looks_binary(CAFE_FR.encode("utf-16"))
    assert not looks_binary(b"")


def test_mojibake_is_repaired_and_typography_kept():
    broken = "CafÃ© owner said â€œweâ€™re closedâ€\x9d"
    assert normalize_text(broken) == "Café owner said “we’re closed”"
    legit = "naïve café — “quoted” ‘single’ – 10–12 … ＡＢＣ 東京"
    assert normalize_text(legit) == legit


def test_normalize_text_tidies_spaces_newlines_and_controls():
    text = "Title\r\nline\u00a0one \t \rline\u200btwo\x07\x00\n\u202fend  "
    assert normalize_text(text) == "Title\nline one\nlinetwo\n end"
    assert normalize_text("e\u0301") == "é"  # NFC
    assert normalize_text("") == ""


def test_detect_language():
    assert detect_language("The government announced new measures on Tuesday to curb inflation.") == "en"
    assert detect_language("Die Regierung hat am Dienstag neue Maßnahmen angekündigt.") == "de"
    assert detect_language("Le gouvernement a annoncé mardi de nouvelles mesures.") == "fr"
    assert detect_language("Hello there") is None
    assert detect_language("12345 67890 !!! ??? ... 2025-06-03") is None


@pytest.mark.parametrize("text", ["", "a", "12345 67890 !!! ??? ... 2025-06-03", "Hello there", "x" * 19,
                                  "1 2 3 abcdefghij klmnopqrst", "Ünïcödé ĺëttërš ąćęłńóśźż ÀÉÎ", "한국어 텍스트 " * 3,
                                  "word " * 5000])
def test_has_letters_agrees_with_counting_every_letter(text: str) -> None:
    for n in (0, 1, 19, 20, 21):
        assert has_letters(text, n) == (sum(ch.isalpha() for ch in text) >= n)
