"""The names of the streams in an OLE2 compound file (Word 97-2003 .doc, WPS .wps), read by
hand within bounds: the header, the FAT sectors it lists, and the directory's chain of sectors.

    names = ole.stream_names(data)   # {"WordDocument", "1Table", ...}; raises ole.Damaged

Only the directory is read (never a stream's content): enough to tell a Word document from an
Excel or PowerPoint file, an MS Works or other OLE2 file, and a truncated or damaged one, before
LibreOffice (convert.py) sees it. Every chain is followed at most once per sector (a loop in a
damaged FAT ends the walk), and the sectors it points at must lie inside the data.
"""

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER = 512
END_OF_CHAIN = 0xFFFFFFFE
FREE = 0xFFFFFFFF
MAX_DIRECTORY_ENTRIES = 4096  # a Word document has a few dozen
DIFAT_IN_HEADER = 109
STREAM, STORAGE, ROOT = 2, 1, 5


class Damaged(ValueError):
    """Not a readable compound file: truncated, a loop in a chain, a sector outside the file."""


def stream_names(data):
    if len(data) < HEADER or data[:8] != MAGIC:
        raise Damaged("header")
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise Damaged("sector size")
    size = 1 << shift
    sectors = (len(data) - HEADER) // size if size == 512 else (len(data) - size) // size
    first_directory = struct.unpack_from("<I", data, 0x30)[0]
    fat_count = struct.unpack_from("<I", data, 0x2C)[0]
    fat_sectors = [s for s in struct.unpack_from(f"<{DIFAT_IN_HEADER}I", data, 0x4C) if s not in (FREE, END_OF_CHAIN)]
    if fat_count > sectors or len(fat_sectors) < min(fat_count, DIFAT_IN_HEADER):
        raise Damaged("fat count")

    def sector(number):
        if number >= sectors:
            raise Damaged("sector outside the file")
        start = (number + 1) * size
        return data[start : start + size]

    fat = []
    for number in fat_sectors[:fat_count]:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(number)))
    names, streams, seen, current = set(), [], set(), first_directory
    while current != END_OF_CHAIN:
        if current in seen or current >= len(fat) or len(seen) * size // 128 > MAX_DIRECTORY_ENTRIES:
            raise Damaged("directory chain")
        seen.add(current)
        block = sector(current)
        for offset in range(0, size, 128):
            entry = block[offset : offset + 128]
            length = struct.unpack_from("<H", entry, 0x40)[0]
            kind = entry[0x42]
            if kind in (STREAM, STORAGE, ROOT) and 2 <= length <= 64:
                names.add(entry[: length - 2].decode("utf-16-le", "replace"))
            if kind == STREAM:
                streams.append(struct.unpack_from("<IQ", entry, 0x74))
        current = fat[current]
    if not names:
        raise Damaged("empty directory")
    cutoff = struct.unpack_from("<I", data, 0x38)[0]
    for start, length in streams:  # every stream in the FAT lies whole inside the file (not truncated)
        if length > len(data):
            raise Damaged("stream longer than the file")
        if length >= cutoff:
            _check_chain(fat, start, -(-length // size), sectors)
    return names


def _check_chain(fat, start, needed, sectors):
    current, count = start, 0
    while count < needed:
        if current >= sectors or current >= len(fat):
            raise Damaged("stream outside the file")
        count += 1
        current = fat[current]
        if current in (END_OF_CHAIN, FREE) and count < needed:
            raise Damaged("stream chain too short")
