"""Background work: the declared schedules of the periodic jobs, a user's long jobs (`Job`: queued,
retried, their progress, outcome and file on one row, opened by the requester and the holders of its
permission in its area), and `satupintu serve`, which runs the web server and the task cluster
together. Imports no feature app: a job names the function doing its work by its dotted path."""
