"""The vote area's periodic task: the counter the public board reads, refreshed every minute."""

from submissions.platform import tasks
from submissions.vote import services


def refresh_tallies():
    return services.refresh_tallies()


tasks.periodic("vote_tallies", refresh_tallies, minutes=1)  # the board's counts are at most a minute old
