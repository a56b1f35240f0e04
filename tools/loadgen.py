"""A small, bounded HTTP load generator: N concurrent connections over loopback.

Each connection sends requests one after another (HTTP/1.1 keep-alive when
the server keeps the connection open, a new connection when it closes it),
cycling through a list of paths, until a request budget or a time budget runs
out — whichever comes first, so a run can never go on unbounded. Latency is
measured per request, from sending it to the last byte of the response.

Standard library only: asyncio streams and a minimal response parser, light
enough that the client takes a small share of the CPU it shares with the
server.
"""

import asyncio
import itertools
import statistics
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    requests: int = 0
    errors: int = 0
    elapsed: float = 0.0
    latencies: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)  # header name -> {value: count}
    bytes: int = 0
    first_error: str = ""

    def merge(self, other):
        """Add another run's figures to these (slices of one measurement)."""
        self.requests += other.requests
        self.errors += other.errors
        self.elapsed += other.elapsed
        self.latencies += other.latencies
        self.bytes += other.bytes
        self.first_error = self.first_error or other.first_error
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        for name, seen in other.headers.items():
            mine = self.headers.setdefault(name, {})
            for value, n in seen.items():
                mine[value] = mine.get(value, 0) + n

    @property
    def throughput(self):
        return (self.requests - self.errors) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p):
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def p50(self):
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self):
        return self.percentile(99)


class _Connection:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def request(self, raw):
        """Send ``raw`` and return ``(status, headers, body)``; reconnects once if a kept-alive connection died."""
        for attempt in (1, 2):
            fresh = self.writer is None
            if fresh:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                self.writer.write(raw)
                return await self._read()
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if fresh or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _read(self):
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._read_chunked()
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, body

    async def _read_chunked(self):
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


def _raw_request(host, port, path, cookies):
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "User-Agent: factcheck-bench", "Accept: */*"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _run(host, port, paths, concurrency, max_requests, max_seconds, cookies, watch_headers):
    result = Result()
    raws = [_raw_request(host, port, p, cookies) for p in paths]
    cycle = itertools.cycle(raws)
    budget = itertools.count()
    deadline = time.perf_counter() + max_seconds

    async def worker():
        conn = _Connection(host, port)
        try:
            while next(budget) < max_requests and time.perf_counter() < deadline:
                raw = next(cycle)
                started = time.perf_counter()
                try:
                    status, headers, body = await conn.request(raw)
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    result.requests += 1
                    result.errors += 1
                    result.first_error = result.first_error or f"{type(exc).__name__}: {exc}"
                    await conn.close()
                    continue
                result.latencies.append(time.perf_counter() - started)
                result.requests += 1
                result.bytes += len(body)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if not 200 <= status < 300:
                    result.errors += 1
                    result.first_error = result.first_error or f"HTTP {status}: {body[:200]!r}"
                for name in watch_headers:
                    value = headers.get(name.lower(), "")
                    seen = result.headers.setdefault(name, {})
                    seen[value] = seen.get(value, 0) + 1
        finally:
            await conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    return result


def run(
    host,
    port,
    paths,
    *,
    concurrency=16,
    max_requests=10_000,
    max_seconds=5.0,
    cookies=None,
    watch_headers=("X-Page-Cache", "X-DB-Queries"),
):
    """Load ``paths`` (cycled) with ``concurrency`` connections; stops at either budget."""
    return asyncio.run(
        _run(host, port, list(paths), concurrency, max_requests, max_seconds, cookies or {}, watch_headers)
    )
