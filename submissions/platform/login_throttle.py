"""Admin login throttling (django-axes) per user name and address, and per address alone.

django-axes counts failures per lockout parameter and compares the largest count with one limit.
We want two: AXES_FAILURE_LIMIT (5) failures of one user name from one address lock that pair,
and AXES_ADDRESS_FAILURE_LIMIT (20) failures from one address, whatever the user names tried,
lock the address (someone trying many names, or a password against every account). Both for
AXES_COOLOFF_TIME. AXES_LOCKOUT_PARAMETERS lists the pair first, then the address.

A successful login clears the failures of its own user name and address only: axes would clear
every failure of the address, so one valid account could wipe the count between guesses.
"""

from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.db.models import Sum


class AddressThrottlingHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        per_pair, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if per_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(per_pair, get_failure_limit(request, credentials))
        return per_pair

    def reset_user_attempts(self, request, credentials=None) -> int:
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair.delete()
        return count
