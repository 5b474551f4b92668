"""The notice area's periodic task: notices past their last day close, and their result becomes final."""

from submissions.notice import services
from submissions.platform import tasks


def close_notices():
    return services.close_due()


tasks.periodic("close_notices", close_notices, minutes=10)  # a notice closes within ten minutes of its last day's end
