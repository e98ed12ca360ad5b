"""Background work: the declared schedules of the periodic jobs and `satupintu serve`, which runs the
web server and the task cluster together."""
