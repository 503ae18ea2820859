"""Text files' bytes to text: byte-order marks, UTF-8, UTF-16 without a mark, Windows-1252, and binary files."""

from __future__ import annotations

import charset_normalizer

from ..document import warn

__all__ = ["decode"]

#: Bytes that charset-normalizer looks at to tell text from binary.
_SNIFF_BYTES = 64 * 1024


def decode(raw: bytes, name: str, warnings: list[str]) -> tuple[str, str] | None:
    """Decode a text file's bytes; ``None`` (with a warning) for a binary file.

    A byte-order mark decides first (UTF-8, UTF-16, UTF-32). Else valid UTF-8 is UTF-8. Else the bytes go
    to charset-normalizer: when it finds no encoding that gives readable text (random bytes, an image),
    the file is binary; when it finds UTF-16 or UTF-32 (NUL bytes every other byte, no byte-order mark),
    that is used. Any other non-UTF-8 text is decoded as Windows-1252 (Latin-1 for its five unassigned
    bytes), with a warning: it is by far the most common legacy encoding of English text, and the
    statistical guess is often wrong on short notes (charset-normalizer reads "Le café était fermé" as
    Mac Central European).

    Returns
    -------
    tuple[str, str] or None
        The text (byte-order mark removed) and the encoding's name.
    """
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                          (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding.removesuffix("-sig")
            except UnicodeDecodeError:
                break
    if b"\x00" not in raw[:8192]:
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(raw[:_SNIFF_BYTES]).best()
    if best is None:
        warn(warnings, "Skipped %s: it looks like a binary file, not text.", name)
        return None
    guessed = best.encoding.replace("_", "-")
    if guessed.startswith(("utf-16", "utf-32")):
        try:
            return raw.decode(guessed), guessed
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw[:8192]:
        warn(warnings, "Skipped %s: it looks like a binary file, not text.", name)
        return None
    try:
        encoding, text = "cp1252", raw.decode("cp1252")
    except UnicodeDecodeError:
        encoding, text = "latin-1", raw.decode("latin-1")
    warn(warnings, "%s is not valid UTF-8; decoded it as %s. Save it as UTF-8 to be sure.", name, encoding)
    return text, encoding
