"""The vote's writes: confirmation codes, casting a vote (with its fraud flags), an editor's decision
on held votes, and the per-minute counter.

A voter is a mobile number confirmed by a code; only keyed hashes (HMAC with SECRET_KEY) of the
number, the code, the address, its network (/24, /64), the device cookie and the user agent are
kept: enough to see a pattern, nothing to name a person.

Fraud is watched, not only blocked. The hard rules refuse (the window, one vote per voter per
entry per Beijing day: the table's unique constraint, the voter's daily cap); the patterns flag
(an entry's votes in a minute, one network's, one device's, one user agent's share beyond the
thresholds in settings, with the literal defaults below). A flagged vote is held with its reasons,
and so are the votes of the same pattern already counted in its window (a burst is held whole,
not from its 21st vote on); while an entry has held votes its new votes are held too. A held
vote counts only once an editor accepts it (decide()).
"""

import ipaddress
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.models import Submission, Vote, VoteCode, VoteSettings, VoteTally
from submissions.models.status import VOTE_STANDING
from submissions.platform import pagecache
from submissions.vote import sms

CODE_SECONDS = 300  # a code is good for 5 minutes
CODE_TRIES = 5
CODES_PER_HOUR = 5  # per number
CODE_INTERVAL = 60  # seconds between two codes to one number
# Flag thresholds (settings of the same name override them).
DEFAULTS = {
    "VOTE_ENTRY_PER_MINUTE": 20,  # votes for one entry in a minute
    "VOTE_NETWORK_PER_HOUR": 20,  # votes from one /24 (IPv4) or /64 (IPv6) in an hour, in the campaign
    "VOTE_DEVICE_PER_DAY": 20,  # votes from one device cookie in a day, in the campaign
    "VOTE_AGENT_SHARE": 0.5,  # one user agent's share of the campaign's votes in an hour …
    "VOTE_AGENT_MIN": 100,  # … once it has this many
}
REASONS = {
    "entry_minute": gettext_lazy("该作品一分钟内得票过多"),
    "network": gettext_lazy("同一网段投票过多"),
    "device": gettext_lazy("同一设备投票过多"),
    "agent": gettext_lazy("同一浏览器标识占比过高"),
    "entry_held": gettext_lazy("该作品有待审核的投票"),
}


class VoteError(Exception):
    """A refusal, with the message for the voter."""


def limit(name):
    return getattr(settings, name, DEFAULTS[name])


def keyed(kind, value):
    """The keyed hash of `value` (64 hex characters): the same value gives the same hash, nobody without the key can reverse it."""
    return salted_hmac(f"submissions.vote.{kind}", value, algorithm="sha256").hexdigest()


def network_of(address):
    """The network an address belongs to for counting: its /24 (IPv4) or /64 (IPv6)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    return str(ipaddress.ip_network(f"{ip}/{24 if ip.version == 4 else 64}", strict=False))


@dataclass(frozen=True)
class Fingerprint:
    """What a vote is kept with besides the voter: hashes of the address, its network, the user agent, the device cookie."""

    address: str = ""
    network: str = ""
    agent: str = ""
    device: str = ""

    @classmethod
    def of(cls, address, agent="", device=""):
        return cls(
            address=keyed("address", address),
            network=keyed("network", network_of(address)),
            agent=keyed("agent", agent[:500]),
            device=keyed("device", device) if device else "",
        )


def is_open(vote_settings, at=None):
    at = at or timezone.now()
    return vote_settings.enabled and vote_settings.opens_at <= at < vote_settings.closes_at


# Codes ------------------------------------------------------------------------------------


def send_code(phone, *, at=None):
    """Send a fresh 6-digit code to `phone` (already validated); refused when the number asked too often."""
    at = at or timezone.now()
    phone_hash = keyed("phone", phone)
    recent = VoteCode.objects.filter(phone_hash=phone_hash, created_at__gt=at - timedelta(hours=1))
    if recent.filter(created_at__gt=at - timedelta(seconds=CODE_INTERVAL)).exists():
        raise VoteError(_("验证码已发送，请 1 分钟后再试。"))
    if recent.count() >= CODES_PER_HOUR:
        raise VoteError(_("该手机号获取验证码过于频繁，请 1 小时后再试。"))
    code = f"{secrets.randbelow(10**6):06d}"
    VoteCode.objects.create(
        phone_hash=phone_hash,
        code_hash=keyed("code", f"{phone}:{code}"),
        created_at=at,
        expires_at=at + timedelta(seconds=CODE_SECONDS),
    )
    sms.send(phone, _("您的投票验证码为 %(code)s，5 分钟内有效。如非本人操作，请忽略。") % {"code": code})
    return code


def confirm(phone, code, *, at=None):
    """The voter (the number's hash) once `code` is the number's latest unexpired code; each try counts, at most CODE_TRIES."""
    at = at or timezone.now()
    phone_hash = keyed("phone", phone)
    latest = (
        VoteCode.objects.filter(phone_hash=phone_hash, used_at=None, expires_at__gt=at).order_by("-created_at", "-pk").first()
    )
    if latest is None:
        raise VoteError(_("验证码已过期或不存在，请重新获取。"))
    if not VoteCode.objects.filter(pk=latest.pk, tries__lt=CODE_TRIES).update(tries=F("tries") + 1):
        raise VoteError(_("验证码错误次数过多，请重新获取。"))
    if not constant_time_compare(latest.code_hash, keyed("code", f"{phone}:{code}")):
        raise VoteError(_("验证码不正确。"))
    VoteCode.objects.filter(pk=latest.pk).update(used_at=at)
    return phone_hash


# Votes ------------------------------------------------------------------------------------


def standing(campaign):
    return Submission.objects.filter(campaign=campaign, status__in=VOTE_STANDING)


def _patterns(campaign, entry, fingerprint, at, day):
    """The flags this vote raises, {reason: (the votes of that pattern in its window, whether this vote is
    the first over its threshold)}, and whether the entry has held votes: counted in one query over the
    campaign's last hour, the device's day and the entry's held votes."""
    votes = Vote.objects.filter(campaign=campaign)
    hour = Q(created_at__gt=at - timedelta(hours=1))
    scopes = {
        "entry_minute": Q(entry=entry, created_at__gt=at - timedelta(minutes=1)),
        "network": hour & Q(network=fingerprint.network),
        "device": Q(device=fingerprint.device, day=day) & ~Q(device=""),
        "agent": hour & Q(agent=fingerprint.agent),
    }
    held = Q(entry=entry, state=Vote.State.HELD)
    counts = votes.filter(hour | scopes["device"] | held).aggregate(
        hour=Count("pk", filter=hour), held=Count("pk", filter=held), **{k: Count("pk", filter=q) for k, q in scopes.items()}
    )
    found = {
        "entry_minute": counts["entry_minute"] + 1 > limit("VOTE_ENTRY_PER_MINUTE"),
        "network": counts["network"] + 1 > limit("VOTE_NETWORK_PER_HOUR"),
        "device": bool(fingerprint.device) and counts["device"] + 1 > limit("VOTE_DEVICE_PER_DAY"),
        "agent": counts["agent"] + 1 >= limit("VOTE_AGENT_MIN")
        and (counts["agent"] + 1) / (counts["hour"] + 1) > limit("VOTE_AGENT_SHARE"),
    }
    first = {
        "entry_minute": counts["entry_minute"] == limit("VOTE_ENTRY_PER_MINUTE"),
        "network": counts["network"] == limit("VOTE_NETWORK_PER_HOUR"),
        "device": counts["device"] == limit("VOTE_DEVICE_PER_DAY"),
        "agent": counts["agent"] + 1 == limit("VOTE_AGENT_MIN"),
    }
    flagged = {reason: (votes.filter(scopes[reason]), first[reason]) for reason, on in found.items() if on}
    return flagged, counts["held"] > 0


def _hold(votes, reason, first):
    """Hold the counted votes of a flagged pattern, adding `reason` to each. `first`: this vote is the
    first over the threshold, so the pattern's held votes get the reason too (once, not on every
    vote of a burst: a decided vote stays decided)."""
    held = []
    for vote in votes.filter(state__in=(Vote.State.COUNTED, Vote.State.HELD) if first else (Vote.State.COUNTED,)):
        if reason in vote.reasons:
            continue
        vote.state = Vote.State.HELD
        vote.reasons = sorted({*vote.reasons, reason})
        held.append(vote)
    Vote.objects.bulk_update(held, ["state", "reasons"])


@transaction.atomic
def cast(campaign, entry, voter, fingerprint, *, at=None, vote_settings=None):
    """Keep one vote of `voter` for `entry`; counted, or held with its reasons. VoteError when refused.
    `vote_settings`: the campaign's, when the caller has read them already."""
    at = at or timezone.now()
    if vote_settings is None:
        vote_settings = VoteSettings.objects.filter(campaign=campaign).first()
    if vote_settings is None or not is_open(vote_settings, at):
        raise VoteError(_("当前不在投票时间内。"))
    if entry.campaign_id != campaign.pk or entry.status not in VOTE_STANDING:
        raise VoteError(_("该作品不在投票范围内。"))
    day = timezone.localdate(at)
    mine = Vote.objects.filter(campaign=campaign, voter=voter, day=day).aggregate(
        today=Count("pk"), here=Count("pk", filter=Q(entry=entry))
    )
    if mine["here"]:
        raise VoteError(_("您今天已为该作品投过票，明天再来吧。"))
    if mine["today"] >= vote_settings.daily_cap:
        raise VoteError(_("您今天的 %(cap)s 票已投完，明天再来吧。") % {"cap": vote_settings.daily_cap})
    patterns, entry_held = _patterns(campaign, entry, fingerprint, at, day)
    reasons = sorted(patterns)
    if not reasons and entry_held:
        reasons = ["entry_held"]
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                campaign=campaign,
                entry=entry,
                voter=voter,
                day=day,
                created_at=at,
                address=fingerprint.address,
                network=fingerprint.network,
                agent=fingerprint.agent,
                device=fingerprint.device,
                state=Vote.State.HELD if reasons else Vote.State.COUNTED,
                reasons=reasons,
            )
    except IntegrityError:  # the same vote from another request at the same moment
        raise VoteError(_("您今天已为该作品投过票，明天再来吧。")) from None
    for reason, (votes, first) in patterns.items():
        _hold(votes.exclude(pk=vote.pk), reason, first)
    return vote


@transaction.atomic
def save_settings(vote_settings):
    """Save a campaign's vote settings (the admin's save). The board is kept in the page cache for
    up to a minute: once the change commits, every cached page is made stale, so turning the vote
    off, moving its window or its weight shows at once."""
    vote_settings.save()
    transaction.on_commit(pagecache.bump)


def decide(votes, editor, *, accept):
    """An editor's decision on held votes (the others are left as they are): accepted ones count from the
    next refresh, rejected ones never. Who decided and when is kept on each vote. Returns how many."""
    state = Vote.State.ACCEPTED if accept else Vote.State.REJECTED
    held = votes.filter(state=Vote.State.HELD)
    campaigns = set(held.values_list("campaign_id", flat=True))
    count = held.update(state=state, decided_by=editor, decided_at=timezone.now())
    transaction.on_commit(lambda: [refresh_tallies(pk) for pk in sorted(campaigns)])
    return count


def refresh_tallies(campaign_id=None, *, at=None):
    """Write the counted votes of every standing entry of the campaigns with a vote (or one) into VoteTally."""
    at = at or timezone.now()
    settings_rows = VoteSettings.objects.filter(enabled=True)
    if campaign_id is not None:
        settings_rows = settings_rows.filter(campaign_id=campaign_id)
    for vote_settings in settings_rows:
        rows = (
            standing(vote_settings.campaign_id)
            .annotate(counted=Count("votes", filter=Q(votes__state__in=Vote.COUNTING)))
            .values_list("pk", "counted")
        )
        tallies = [VoteTally(campaign_id=vote_settings.campaign_id, entry_id=pk, votes=n, refreshed_at=at) for pk, n in rows]
        VoteTally.objects.bulk_create(
            tallies, update_conflicts=True, unique_fields=["entry"], update_fields=["votes", "refreshed_at", "campaign"]
        )
