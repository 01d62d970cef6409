"""Every URL of the URLconf, its path parameters filled with objects a signed-in user may see.

The list is walked from get_resolver(), so a URL added later is fuzzed and probed with HEAD
without anyone editing these tests. A path parameter nobody knows how to fill fails loudly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?[^()]*\)")


@dataclass(frozen=True)
class Endpoint:
    """One URL pattern: its name (or the route when it has none), the chain of patterns that
    lead to it, and its view."""

    name: str
    patterns: tuple
    callback: object

    def __str__(self) -> str:
        return self.name


def endpoints() -> list[Endpoint]:
    found: list[Endpoint] = []

    def walk(patterns, chain, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, (*chain, entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                route = "".join(str(p) for p in (*chain, entry.pattern))
                name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or route)
                found.append(Endpoint(name, (*chain, entry.pattern), entry.callback))

    walk(get_resolver().url_patterns, (), None)
    return found


def url_of(endpoint: Endpoint, fill) -> str:
    """The endpoint's URL, each parameter given by fill(endpoint, parameter name or position)."""
    parts = []
    position = 0
    for pattern in endpoint.patterns:
        if isinstance(pattern, RoutePattern):
            parts.append(ROUTE_PARAMETER.sub(lambda m: str(fill(endpoint, m["name"])), str(pattern)))
        elif isinstance(pattern, RegexPattern):
            text = str(pattern).removeprefix("^").removesuffix("$")

            def group(match):
                nonlocal position
                position += 1
                return str(fill(endpoint, match["name"] or position))

            parts.append(REGEX_GROUP.sub(group, text))
        else:  # pragma: no cover - Django has no third kind today
            raise AssertionError(f"unknown pattern kind {pattern!r}")
    return "/" + "".join(parts)
