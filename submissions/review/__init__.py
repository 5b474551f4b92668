"""Review: assignments, distribution, scoring, the queues (待办) and the editors' exports of entries."""
