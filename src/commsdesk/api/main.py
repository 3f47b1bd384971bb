"""The API object mounted at /api/v1/: its credentials, rate limit, error answers and the routers
of each domain. The schema is served at /api/v1/openapi.json and the docs at /api/v1/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from commsdesk.api import campaigns, errors, materials, monitoring, relations
from commsdesk.api.auth import BrowserSession, TokenAuth
from commsdesk.api.throttle import ApiRateThrottle

api = NinjaAPI(
    title="commsdesk API",
    version="1",
    description=(
        "Monitoring, media relations, campaigns and materials of your teams. Authenticate with "
        "a personal token from Preferences → API tokens: `Authorization: Bearer cdk_…`. "
        "Read tokens read; read-and-write tokens change what your role lets you change. Lists "
        "are paginated; requests are rate-limited (429 with Retry-After)."
    ),
    auth=[TokenAuth(), BrowserSession()],
    throttle=[ApiRateThrottle()],
    urls_namespace="api",
)
errors.install(api)
api.add_router("/", monitoring.router)
api.add_router("/", relations.router)
api.add_router("/", campaigns.router)
api.add_router("/", materials.router)
