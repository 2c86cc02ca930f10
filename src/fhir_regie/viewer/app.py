"""The read-only viewer: a small web app for GPs and youth health care (DOMAIN.md §7: "GP and
youth health care: view shared plans (read-only) for their patients, within consent").

Launched as a SMART app (smart.py). It reads the household from the FHIR server with the
user's token, lets the disclosure guard decide per household what the launching organisation
may see (``fhir_regie.consent.share``, purpose ``shared-plan-view``), shows only
``Shared.bundle``, and writes the guard's ``regie-disclosure`` AuditEvents (type *view*) to the
server, with the user who looked (``agent.altId``). Nothing is ever written but those records.

Sessions live in memory (one process); the cookie holds only a random id (HttpOnly,
SameSite=Lax, Secure on https). Logs carry no personal data: uvicorn's access log is off.
"""

from __future__ import annotations

import html as html_escape
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

try:
    from starlette.applications import Starlette
    from starlette.requests import Request as HttpRequest
    from starlette.responses import HTMLResponse, RedirectResponse, Response
    from starlette.routing import Route
except ImportError as _error:
    from fhir_regie.extras import missing_extra

    raise missing_extra("viewer", _error, "the plan viewer") from None

from fhir_regie.client import BearerToken, FhirClient, FhirClientError
from fhir_regie.client.household import fetch_household
from fhir_regie.consent import Request, share
from fhir_regie.render._read import Resource, code, key, name, reference
from fhir_regie.render.document import PlanNotFoundError, plan_document
from fhir_regie.render.html import environment, render_body, stylesheet
from fhir_regie.viewer import smart
from fhir_regie.workflow.regions import RegionSettings, load_region

PURPOSE = "shared-plan-view"
COOKIE = "regie_viewer"


@dataclass
class ViewerConfig:
    """How the viewer runs.

    Parameters:
        server: the FHIR base URL the viewer reads from (the ``iss`` it accepts); https, or
            http on loopback only.
        client_id: the viewer's client id at the authorization server.
        base_url: where the viewer itself is reached (its ``/callback`` is the redirect URI).
        region: regional settings (thresholds in the chart).
        clock: the current moment (time-zone aware); tests fix it.
    """

    server: str
    client_id: str
    base_url: str
    region: RegionSettings = field(default_factory=load_region)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def __post_init__(self) -> None:
        self.server = smart.check_url(self.server.rstrip("/"))
        self.base_url = smart.check_url(self.base_url.rstrip("/"), "viewer url")


@dataclass
class _Session:
    state: dict[str, Any]
    context: smart.Context | None = None


@dataclass(frozen=True)
class PlanRow:
    plan_id: str
    title: str
    household: str


def create_app(config: ViewerConfig) -> Starlette:  # noqa: PLR0915 (the handlers share one closure)
    """The ASGI app. Routes: ``/launch`` (EHR launch), ``/`` (list; starts a standalone
    launch without a session), ``/callback``, ``/plan/{id}``, ``/afmelden`` (POST)."""
    sessions: dict[str, _Session] = {}

    def page(title: str, body: str, status: int = 200) -> HTMLResponse:
        template = environment().get_template("viewer.html.j2")
        return HTMLResponse(template.render(title=title, body=body, css=stylesheet()),
                            status_code=status, headers={
                                "Cache-Control": "no-store",
                                "Content-Security-Policy": "default-src 'none'; style-src "
                                "'unsafe-inline'; img-src 'self' data:; form-action 'self'"})

    def problem(message: str, status: int) -> HTMLResponse:
        return page("Dit lukt niet", f"<h1>Dit lukt niet</h1><p>{html_escape.escape(message)}"
                                     "</p><p><a href=\"/\">Opnieuw beginnen</a></p>", status)

    def start(launch: str | None) -> Response:
        try:
            endpoints = smart.discover(config.server)
        except smart.LaunchError as error:
            return problem(str(error), 502)
        client = smart.new_client(iss=config.server, client_id=config.client_id,
                                  redirect_uri=f"{config.base_url}/callback",
                                  endpoints=endpoints, launch=launch)
        session_id = smart.new_session_id()
        target = client.authorize_url
        sessions[session_id] = _Session(client.state)
        response = RedirectResponse(target, status_code=302)
        response.set_cookie(COOKIE, session_id, httponly=True, samesite="lax",
                            secure=config.base_url.startswith("https://"))
        return response

    def current(request: HttpRequest) -> _Session | None:
        return sessions.get(request.cookies.get(COOKIE, ""))

    async def launch(request: HttpRequest) -> Response:
        iss = (request.query_params.get("iss") or "").rstrip("/")
        token = request.query_params.get("launch")
        if not token:
            return problem("De start vanuit uw systeem mist het launch-gegeven.", 400)
        if iss != config.server:
            # A launch naming another server would make us fetch and trust its data.
            return problem("Deze viewer werkt alleen met de eigen FHIR-server.", 400)
        return start(token)

    async def callback(request: HttpRequest) -> Response:
        session = current(request)
        if session is None:
            return problem("De sessie is verlopen. Start de viewer opnieuw.", 400)
        client = smart.restore(session.state)
        try:
            client.handle_callback(str(request.url))
            session.context = smart.context(client)
        except Exception as error:  # fhirclient raises bare Exceptions (state, OAuth error)
            return problem("Aanmelden is niet gelukt (" + error.__class__.__name__ + ").", 400)
        session.state = client.state
        return RedirectResponse("/", status_code=302)

    def organisation(ctx: smart.Context, client: FhirClient) -> str | None:
        if ctx.organization:
            return ctx.organization if ctx.organization.startswith("Organization/") \
                else f"Organization/{ctx.organization}"
        if ctx.role:
            role = client.read("PractitionerRole", ctx.role.split("/", 1)[1], as_dict=True)
            return reference(role.get("organization"))
        return None

    def households(client: FhirClient, patient: str | None) -> list[str]:
        """The households of the launch patient, or every household without one."""
        params = {"member": f"Patient/{patient}"} if patient else {"_count": "100"}
        found = []
        for group in client.search("Group", params, as_dict=True):
            members = {reference(m.get("entity")) for m in group.get("member", [])}
            if patient and f"Patient/{patient}" not in members:
                continue  # a server that ignores `member` answers with every Group
            if code(group.get("code"), "regie-group-type") == "household":
                found.append(str(group["id"]))
        return sorted(found)

    def guard(resources: dict[str, Resource], org: str, ctx: smart.Context,
              data: list[Resource] | None = None) -> Any:
        group = next(r for r in resources.values() if r.get("resourceType") == "Group")
        discloser = reference(group.get("managingEntity")) or org
        request = Request(recipient=org, purpose=PURPOSE, at=config.clock(),
                          discloser=discloser, role=ctx.role)
        return share(resources.values(), request, data=data, household=group["id"])

    def record(client: FhirClient, shared: Any, ctx: smart.Context) -> None:
        """The guard's view records go to the server, with the user who looked."""
        for event in shared.audit_events:
            if ctx.user:
                event.agent[1].altId = ctx.user
            client.create(event)

    def connect(request: HttpRequest) -> tuple[_Session, FhirClient, str] | Response:
        session = current(request)
        if session is None or session.context is None:
            return start(None)
        client = FhirClient(config.server, auth=BearerToken(session.context.access_token))
        try:
            org = organisation(session.context, client)
        except FhirClientError as error:
            return problem(f"Uw organisatie is niet te vinden ({error.__class__.__name__}).",
                           502)
        if not org:
            return problem("Uw systeem gaf geen organisatie mee; zonder organisatie kan de "
                           "viewer niet bepalen wat u mag zien.", 403)
        return session, client, org

    async def home(request: HttpRequest) -> Response:
        connected = connect(request)
        if isinstance(connected, Response):
            return connected
        session, client, org = connected
        ctx = session.context
        assert ctx is not None
        rows: list[PlanRow] = []
        try:
            for household_id in households(client, ctx.patient):
                resources = fetch_household(client, household_id)
                plans = [r for r in resources.values() if r.get("resourceType") == "CarePlan"]
                group = resources[f"Group/{household_id}"]
                shared = guard(resources, org, ctx, data=[group, *plans])
                went = {key(e["resource"]): e["resource"] for e in shared.bundle["entry"]}
                label = name(went.get(f"Group/{household_id}")) or "Huishouden"
                rows += [PlanRow(str(p["id"]), str(p.get("title") or "Plan"), label)
                         for p in plans if key(p) in went]
                record(client, shared, ctx)
        except FhirClientError as error:
            return problem(f"De FHIR-server gaf een fout ({error.__class__.__name__}).", 502)
        body = environment().get_template("viewer_list.html.j2").render(rows=rows)
        return page("Gedeelde plannen", body)

    async def plan(request: HttpRequest) -> Response:
        connected = connect(request)
        if isinstance(connected, Response):
            return connected
        session, client, org = connected
        ctx = session.context
        assert ctx is not None
        plan_id = request.path_params["plan_id"]
        try:
            found = client.read("CarePlan", plan_id, as_dict=True)
            subject = reference(found.get("subject")) or ""
            household_id = subject.split("/", 1)[1] if subject.startswith("Group/") else next(
                iter(households(client, subject.split("/", 1)[-1])), None)
            if household_id is None:
                return problem("Dit plan hoort bij geen huishouden.", 404)
            resources = fetch_household(client, household_id)
            shared = guard(resources, org, ctx)
            went = [e["resource"] for e in shared.bundle["entry"]]
            document = plan_document(went, plan_id, region=config.region,
                                     at=config.clock().date(),
                                     audience="Alleen om mee te kijken",
                                     left_out=len(shared.decision.resources) - len(went))
            record(client, shared, ctx)
        except PlanNotFoundError:
            return problem("U mag dit plan niet inzien: er is geen toestemming of wettelijke "
                           "grondslag voor uw organisatie.", 403)
        except FhirClientError as error:
            return problem(f"De FHIR-server gaf een fout ({error.__class__.__name__}).", 502)
        body = environment().get_template("viewer_plan.html.j2").render(
            doc=document, body=render_body(document))
        return page(document.title, body)

    async def logout(request: HttpRequest) -> Response:
        sessions.pop(request.cookies.get(COOKIE, ""), None)
        response = RedirectResponse("/afgemeld", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    async def signed_out(request: HttpRequest) -> Response:  # noqa: ARG001 (route API)
        return page("Afgemeld", "<h1>U bent afgemeld</h1><p>Sluit dit venster.</p>")

    return Starlette(routes=[
        Route("/", home), Route("/launch", launch), Route("/callback", callback),
        Route("/plan/{plan_id}", plan), Route("/afmelden", logout, methods=["POST"]),
        Route("/afgemeld", signed_out)])
