"""The public vote (网络投票) on a campaign's standing entries (docs/vote.md)."""
