"""Media storage on the local disk that never leaves a partial file.

Django's FileSystemStorage writes an upload straight under its final name, chunk by chunk: a
write that fails half-way (disk full, quota) leaves a truncated file that no row refers to.
This one writes to a hidden temporary name in the same folder, reserves the final name (never
an existing file's) and renames the complete file onto it; on any failure the temporary file
is deleted and the error goes on. A crash half-way leaves only a `.part` file (or an empty
reserved one), which `manage.py cleanup_media` removes like any unreferenced file.
"""

import os
import tempfile

from django.core.files import locks
from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        if self.directory_permissions_mode is not None:
            old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
            try:
                os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            finally:
                os.umask(old_umask)
        else:
            os.makedirs(directory, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                locks.lock(out, locks.LOCK_EX)
                self._write(out, content)
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            while True:  # reserve the final name (never an existing file's), then move the whole file onto it
                try:
                    os.close(os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600))
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
            try:
                os.replace(temporary, full_path)
            except BaseException:
                os.unlink(full_path)
                raise
        finally:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
        return str(name).replace("\\", "/")

    def _write(self, out, content):
        """Copy the content into the open temporary file (a seam for tests of a full disk)."""
        if hasattr(content, "seek"):
            content.seek(0)
        for chunk in content.chunks():
            out.write(chunk)
