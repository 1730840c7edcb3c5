"""The counsellor desk: handoff tickets, the queue the counsellors work from, and anonymous statistics."""
