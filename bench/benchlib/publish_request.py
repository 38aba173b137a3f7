"""One publish over a raw socket: the readiness probe and the start-up clock of bench/run.

A raw socket keeps the probe cheap and its timing honest: no client library start-up, no pooling.
"""
import socket

PATH = "/api/registries/artifacts"
# The same valid body as wrk/publish.lua sends.
VALID_BODY = (
    b'{"registryRef":"acme/prompts","artifact":{"prompt":"greeting","version":"1.2.0",'
    b'"model":"gpt-4o","compiled":"Hello {{name}}",'
    b'"hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",'
    b'"schema":{},"components":{},"metadata":{}}}'
)


def publish_status(port, timeout=2.0):
    """The status of one valid publish to 127.0.0.1:port, or None if nothing answered."""
    request = (
        f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"X-API-Key: k-bench\r\nContent-Length: {len(VALID_BODY)}\r\nConnection: close\r\n\r\n"
    ).encode() + VALID_BODY
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(request)
            head = b""
            while b"\r\n" not in head:
                chunk = connection.recv(4096)
                if not chunk:
                    return None
                head += chunk
    except OSError:
        return None
    parts = head.split(b"\r\n", 1)[0].split()
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else None
