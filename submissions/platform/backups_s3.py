"""Backup and restore of media kept in an S3-compatible bucket (MEDIA_STORAGE=s3).

The bucket is streamed, never held: objects are listed a page at a time (PAGE_SIZE keys), each
object's body is copied in CHUNK_SIZE pieces straight into an uncompressed tar (one member per
object, named by its key; photos and videos do not compress), and a manifest is written beside
it line by line, JSON Lines:

    {"format": "portal-media-s3/1", "bucket": "..."}             the header
    {"name": KEY, "size": N, "sha256": HEX, "content_type": T}     one line per object, in tar order
    {"objects": N, "bytes": B}                                      the footer: a cut manifest shows

So memory stays the same for 100 objects or 100,000 (one page of keys, one chunk, the current
tar header), and time and disk grow with the bucket's bytes. tarfile keeps a list of every
member it has seen; it is emptied after each one, since nothing here looks back.

Restore checks before it writes: a first pass reads the archive and the manifest in step and
hashes every member; any object missing, extra, of another size or another sha256 fails the
restore with the names (up to REPORT_NAMES of them, and the count), and nothing is uploaded (the
command does this before it touches the database). A second pass uploads, hashing again as it
goes; should the file change in between, the objects that differ are deleted again and named.
Objects already in the bucket and absent from the archive are left (`cleanup_media` removes what
no row refers to).
"""

import hashlib
import json
import tarfile

from boto3.s3.transfer import TransferConfig

from submissions.platform.backups import BackupError

FORMAT = "portal-media-s3/1"
ARCHIVE = "media-s3.tar"
MANIFEST = "media-s3.manifest.jsonl"
PAGE_SIZE = 1000  # keys per listing request (S3's own maximum)
CHUNK_SIZE = 1024 * 1024  # bytes read from a body, or the archive, at a time
MAX_KEY_BYTES = 1024  # S3's limit on a key
MAX_LINE = 4 * MAX_KEY_BYTES + 512  # a manifest line can be no longer than this (bounds a doctored manifest)
REPORT_NAMES = 20  # mismatches named in a failure message (the count is always given)
# Uploads in this thread, one part at a time: memory is one part (8 MiB, boto3's multipart size).
TRANSFER = TransferConfig(use_threads=False)


def remote_storage():
    """The default storage when it is an S3 bucket, else None (media on this machine's disk)."""
    from django.core.files.storage import storages

    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # django-storages is a runtime requirement; without it there is no bucket
        return None
    storage = storages["default"]
    return storage if isinstance(storage, S3Storage) else None


def client_of(storage):
    return storage.connection.meta.client


# Backup -------------------------------------------------------------------------------------


class _Hashing:
    """A read-only file over a stream (an S3 body, a tar member) that hashes what passes.

    read(n) gives n bytes unless the stream ends (tarfile and boto3's uploads take a short read
    for the end), gathered from reads of at most CHUNK_SIZE; callers ask for bounded amounts."""

    def __init__(self, body):
        self.body, self.sha256, self.read_bytes = body, hashlib.sha256(), 0

    def read(self, size=-1):
        parts, wanted = [], size if size is not None and size >= 0 else None
        while wanted is None or wanted > 0:
            data = self.body.read(CHUNK_SIZE if wanted is None else min(wanted, CHUNK_SIZE))
            if not data:
                break
            parts.append(data)
            if wanted is not None:
                wanted -= len(data)
        data = b"".join(parts)
        self.sha256.update(data)
        self.read_bytes += len(data)
        return data


def iter_keys(client, bucket):
    """Every key of the bucket, a page at a time."""
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": PAGE_SIZE}):
        for item in page.get("Contents", ()):
            yield item["Key"]


def backup(client, bucket, folder):
    """Stream every object of `bucket` into folder/ARCHIVE with folder/MANIFEST; returns (count, bytes).

    An object deleted between the listing and its download is left out (the portal keeps
    running during a backup); any other error fails the backup."""
    count = total = 0
    archive_path, manifest_path = folder / ARCHIVE, folder / MANIFEST
    with (
        open(manifest_path, "w", encoding="utf-8") as manifest,
        tarfile.open(archive_path, "w", format=tarfile.PAX_FORMAT) as archive,
    ):
        manifest.write(json.dumps({"format": FORMAT, "bucket": bucket}) + "\n")
        for key in iter_keys(client, bucket):
            try:
                response = client.get_object(Bucket=bucket, Key=key)
            except client.exceptions.NoSuchKey:
                continue
            info = tarfile.TarInfo(key)
            info.size = response["ContentLength"]
            info.mode = 0o640
            if response.get("LastModified"):
                info.mtime = int(response["LastModified"].timestamp())
            reader = _Hashing(response["Body"])
            try:
                archive.addfile(info, reader)
            finally:
                response["Body"].close()
            archive.members.clear()  # O(1): tarfile would keep every header
            if reader.read_bytes != info.size:
                raise BackupError(f"{key}: read {reader.read_bytes} bytes of {info.size}")
            entry = {
                "name": key,
                "size": info.size,
                "sha256": reader.sha256.hexdigest(),
                "content_type": response.get("ContentType") or "application/octet-stream",
            }
            manifest.write(json.dumps(entry, ensure_ascii=False) + "\n")
            count, total = count + 1, total + info.size
        manifest.write(json.dumps({"objects": count, "bytes": total}) + "\n")
    return count, total


# Restore ------------------------------------------------------------------------------------


def _manifest_lines(path):
    """The manifest's header, then its entries one by one, then its footer as the last item."""
    with open(path, encoding="utf-8") as manifest:
        first = True
        while True:
            line = manifest.readline(MAX_LINE + 1)
            if not line:
                raise BackupError(f"{path}: the manifest ends without its closing line (cut short?)")
            if len(line) > MAX_LINE or not line.endswith("\n"):
                raise BackupError(f"{path}: a manifest line is too long or unfinished")
            try:
                item = json.loads(line)
            except ValueError:
                raise BackupError(f"{path}: a manifest line is not JSON")
            if not isinstance(item, dict):
                raise BackupError(f"{path}: a manifest line is not an object")
            if first:
                if item.get("format") != FORMAT:
                    raise BackupError(f"{path}: not a manifest of format {FORMAT}")
                first = False
                yield item
            elif "objects" in item and "name" not in item:
                yield item
                return
            else:
                yield _checked_entry(path, item)


def _checked_entry(path, item):
    name, size, digest = item.get("name"), item.get("size"), item.get("sha256")
    if not isinstance(name, str) or not name or "\x00" in name or len(name.encode("utf-8")) > MAX_KEY_BYTES:
        raise BackupError(f"{path}: an entry has no usable object name: {str(name)[:80]!r}")
    if not isinstance(size, int) or size < 0 or not isinstance(digest, str) or len(digest) != 64:
        raise BackupError(f"{path}: the entry of {name!r} has no usable size or sha256")
    content_type = item.get("content_type")
    if not isinstance(content_type, str) or not content_type or len(content_type) > 255:
        content_type = "application/octet-stream"
    return {"name": name, "size": size, "sha256": digest, "content_type": content_type}


def _members(archive):
    """The archive's members in order, without tarfile keeping them all."""
    while True:
        member = archive.next()
        if member is None:
            return
        archive.members.clear()
        yield member


def _pairs(folder):
    """(manifest entry, tar member, open member file) for every object, in step; then (None, None, footer)."""
    lines = _manifest_lines(folder / MANIFEST)
    next(lines)  # the header
    with tarfile.open(folder / ARCHIVE, "r|") as archive:  # its buffer: 20 blocks (a larger one is copied per header)
        members = _members(archive)
        for entry in lines:
            if "name" not in entry:  # the footer
                extra = next(members, None)
                yield None, extra, entry
                return
            member = next(members, None)
            if member is not None and not member.isfile():
                raise BackupError(f"{ARCHIVE}: {member.name!r} is not a regular file")
            yield entry, member, (archive.extractfile(member) if member is not None else None)


def _hash_file(fileobj):
    digest, size = hashlib.sha256(), 0
    while chunk := fileobj.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _problem(entry, member, digest, size):
    if member is None:
        return f"{entry['name']}: missing from the archive"
    if member.name != entry["name"]:
        return f"{entry['name']}: the archive has {member.name!r} in its place"
    if size != entry["size"]:
        return f"{entry['name']}: {size} bytes, the manifest says {entry['size']}"
    if digest != entry["sha256"]:
        return f"{entry['name']}: sha256 differs from the manifest's"
    return None


def _fail(problems, count):
    shown = "\n  ".join(problems[:REPORT_NAMES])
    more = f"\n  … and {count - REPORT_NAMES} more" if count > REPORT_NAMES else ""
    return BackupError(f"the media archive does not match its manifest ({count} objects):\n  {shown}{more}")


def verify(folder):
    """Check every object of the archive against the manifest; returns (count, bytes) or raises
    BackupError naming the objects that differ. Reads the archive once; uploads nothing."""
    if not (folder / ARCHIVE).exists() or not (folder / MANIFEST).exists():
        raise BackupError(f"{folder} has no {ARCHIVE} with its {MANIFEST}")
    problems, bad, count, total = [], 0, 0, 0
    try:
        for entry, member, fileobj in _pairs(folder):
            if entry is None:  # the footer
                footer = fileobj
                if member is not None:
                    bad += 1
                    problems.append(f"{member.name}: in the archive but not in the manifest")
                if not bad and (footer.get("objects"), footer.get("bytes")) != (count, total):
                    bad += 1
                    problems.append(f"the manifest's footer counts {footer.get('objects')} objects, its lines {count}")
                break
            digest, size = _hash_file(fileobj) if fileobj is not None else (None, None)
            problem = _problem(entry, member, digest, size)
            if problem:
                bad += 1
                if len(problems) < REPORT_NAMES:
                    problems.append(problem)
            count, total = count + 1, total + entry["size"]
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"{ARCHIVE} cannot be read ({exc}); nothing restored")
    if bad:
        raise _fail(problems, bad)
    return count, total


def restore(client, bucket, folder):
    """Upload every object of a verified archive into `bucket` under its own key and content type.
    Call verify() first. Returns the number of objects uploaded."""
    count, changed = 0, []
    for entry, member, fileobj in _pairs(folder):
        if entry is None:
            break
        if member is None or member.name != entry["name"]:
            raise BackupError(f"{entry['name']}: missing from the archive since it was verified; {count} objects uploaded")
        reader = _Hashing(fileobj)
        client.upload_fileobj(reader, bucket, entry["name"], ExtraArgs={"ContentType": entry["content_type"]}, Config=TRANSFER)
        if reader.sha256.hexdigest() != entry["sha256"] or reader.read_bytes != entry["size"]:
            client.delete_object(Bucket=bucket, Key=entry["name"])
            changed.append(f"{entry['name']}: changed since it was verified; removed again")
        count += 1
    if changed:
        raise _fail(changed, len(changed))
    return count
