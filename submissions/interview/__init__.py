"""专题融媒采访: interviews of shortlisted and accepted entries (services write, selectors read)."""
