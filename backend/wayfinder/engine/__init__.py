"""The journey engine: enrolment, batched stepping, timers and delivery. RQ entry points are in `jobs`."""
