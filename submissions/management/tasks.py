"""Background work that is a management command run on a schedule (docs/tasks.md).

The media sweep spans the areas (intake's staged uploads, the column's share posters, every
row's files), so its task lives here beside its command, at the top layer, not in the platform.
"""

from django.core.management import call_command

from submissions.platform import tasks


def cleanup_media():
    """Every six hours: staged uploads of abandoned forms, and files no row refers to."""
    call_command("cleanup_media", verbosity=0)


tasks.periodic("cleanup_media", cleanup_media, minutes=360)  # staged uploads expire after 12 hours
