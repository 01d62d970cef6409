"""One cold page load in Chromium on the weak mobile connection of issue 19, behind the repo's nginx.

The profile: 400 ms latency, 400 kbit/s down and up (Chrome DevTools' network emulation through CDP)
and a CPU four times slower (Emulation.setCPUThrottlingRate). A new browser context is a cold cache and
a new connection. Bytes are what came over the wire (CDP's encodedDataLength: headers and the body as
sent, so compressed where nginx compressed), for every request the page made until it was quiet.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

LATENCY_MS = 400
THROUGHPUT_BYTES = 400_000 // 8  # 400 kbit/s
CPU_SLOWDOWN = 4
PHONE = {"width": 390, "height": 844}


@dataclass
class Resource:
    url: str
    type: str
    bytes: int
    encoding: str
    start_ms: float = 0.0
    end_ms: float = 0.0


@dataclass
class Load:
    url: str
    resources: list[Resource] = field(default_factory=list)
    first_contentful_paint_ms: float = 0.0
    load_ms: float = 0.0
    dom_content_loaded_ms: float = 0.0

    @property
    def bytes(self) -> int:
        return sum(resource.bytes for resource in self.resources)

    @property
    def requests(self) -> int:
        return len(self.resources)

    def table(self) -> str:
        rows = [
            f"{r.bytes / 1000:8.1f} KB  {r.encoding or '-':5}  {r.start_ms / 1000:5.2f}-{r.end_ms / 1000:5.2f} s  "
            f"{r.type:10} {r.url[:110]}"
            for r in self.resources
        ]
        rows.append(
            f"{self.bytes / 1000:8.1f} KB in {self.requests} requests; first contentful paint "
            f"{self.first_contentful_paint_ms / 1000:.2f} s, "
            f"DOMContentLoaded {self.dom_content_loaded_ms / 1000:.2f} s, load {self.load_ms / 1000:.2f} s"
        )
        return "\n".join(rows)


def cold_load(browser, url: str, *, cookies: list[dict] | None = None, quiet_ms: int = 1500) -> Load:
    """Open `url` once in a fresh context under the weak-signal profile and measure it."""
    context = browser.new_context(viewport=PHONE, ignore_https_errors=True)
    try:
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": THROUGHPUT_BYTES,
                "uploadThroughput": THROUGHPUT_BYTES,
            },
        )
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        seen: dict[str, dict] = {}
        last_event = [time.monotonic()]

        def sent(event):
            seen.setdefault(event["requestId"], {"url": event["request"]["url"], "type": event.get("type", "")})
            last_event[0] = time.monotonic()

        def received(event):
            entry = seen.setdefault(event["requestId"], {"url": event["response"]["url"]})
            entry["type"] = event.get("type", entry.get("type", ""))
            headers = {name.lower(): value for name, value in event["response"].get("headers", {}).items()}
            entry["encoding"] = headers.get("content-encoding", "")

        def finished(event):
            seen.setdefault(event["requestId"], {"url": "?", "type": ""})["bytes"] = int(event["encodedDataLength"])
            last_event[0] = time.monotonic()

        def failed(event):
            seen.setdefault(event["requestId"], {"url": "?", "type": ""})["failed"] = event.get("errorText", "")
            last_event[0] = time.monotonic()

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.loadingFailed", failed)

        page.goto(url, wait_until="load", timeout=60_000)
        # Requests after the load event (a script's own, a late font): wait until the page is quiet.
        while (time.monotonic() - last_event[0]) * 1000 < quiet_ms or any(
            "bytes" not in entry and "failed" not in entry for entry in seen.values()
        ):
            page.wait_for_timeout(100)
            if (time.monotonic() - last_event[0]) > 30:
                break
        timing = page.evaluate(
            """() => {
              const paint = performance.getEntriesByName("first-contentful-paint")[0];
              const navigation = performance.getEntriesByType("navigation")[0];
              const spans = {};
              spans[navigation.name] = [navigation.requestStart, navigation.responseEnd];
              for (const entry of performance.getEntriesByType("resource")) {
                spans[entry.name] = [entry.startTime, entry.responseEnd];
              }
              return {fcp: paint ? paint.startTime : -1, load: navigation.loadEventEnd,
                      dcl: navigation.domContentLoadedEventEnd, spans};
            }"""
        )
        load = Load(
            url=url,
            first_contentful_paint_ms=timing["fcp"],
            load_ms=timing["load"],
            dom_content_loaded_ms=timing["dcl"],
        )
        for entry in seen.values():
            if entry["url"].startswith("data:"):  # Bootstrap's inline SVGs: no request goes out
                continue
            if "failed" in entry:
                raise AssertionError(f"{entry['url']} failed to load: {entry['failed']}")
            start, end = timing["spans"].get(entry["url"], [0.0, 0.0])
            load.resources.append(
                Resource(url=entry["url"], type=entry.get("type", ""), bytes=entry["bytes"],
                         encoding=entry.get("encoding", ""), start_ms=start, end_ms=end)
            )  # fmt: skip
        return load
    finally:
        context.close()
