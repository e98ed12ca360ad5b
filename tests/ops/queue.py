"""What the task cluster does with the queue, in a test: each queued task run in turn (django-q runs
it at once under Q_CLUSTER sync), a failed one recorded and the next taken."""


def run_queue(capture, start) -> list[Exception]:
    with capture() as queued:
        result = start()
    failures = []
    while queued:
        task = queued.pop(0)
        with capture() as more:
            try:
                task()
            except Exception as exc:  # noqa: BLE001 (a failed task, as the cluster records it)
                failures.append(exc)
        queued += more
    run_queue.result = result
    return failures


def queued_file(client, capture, url: str, data: dict) -> bytes:
    """Post a form that queues a job, run the queue, and download the job's file from its page."""
    failures = run_queue(capture, lambda: client.post(url, data))
    assert not failures, failures
    page = run_queue.result["Location"]
    download = client.get(page + "unduh/")
    assert download.status_code == 200, client.get(page).content.decode()
    return b"".join(download.streaming_content)
