"""prm-mock's own count of what it answered (/__admin/metrics): the benchmark checks with it that a
row measured what it claims (valid publishes answered 200, the invalid half 400) and counts the
requests of the memory phase exactly."""
import re
import urllib.request

_REQUESTS = re.compile(r'^prm_mock_requests_total\{status="(\d+)"\} (\d+)$', re.MULTILINE)


def answered_by_status(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__admin/metrics", timeout=10) as response:
        text = response.read().decode()
    return {int(status): int(count) for status, count in _REQUESTS.findall(text)}


def difference(after, before):
    return {status: count - before.get(status, 0) for status, count in after.items()
            if count != before.get(status, 0)}
