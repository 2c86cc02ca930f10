"""The read-only viewer: a small web app for GPs and youth health care (DOMAIN.md §7: "GP and
youth health care: view shared plans (read-only) for their patients, within consent").

Launched as a SMART app (smart.py). It reads the household from the FHIR server with the
user's token, lets the disclosure guard decide per household what the launching organisation
may see (``fhir_regie.consent.share``, purpose ``shared-plan-view``), shows only
``Shared.bundle``, and writes the guard's ``regie-disclosure`` AuditEvents (type *view*) to the
server, with the user who looked (``agent.altId``). Nothing is ever written but those records.

Sessions live in memory (one process, sessions.py): they expire (idle and absolute), are
bounded in number, and exist only after a launch: a request without a session gets the sign-in
page, not a session and not a SMART discovery. The cookie holds only a random id (HttpOnly,
SameSite=Lax, Secure on https). Every response carries the security headers (security.py).
The routes that talk to the FHIR or authorization server are plain functions, which Starlette
runs in its thread pool: no blocking call on the event loop. Logs carry no personal data:
uvicorn's access log is off and an unexpected error is logged as one line with its class.
"""

from __future__ import annotations

import html as html_escape
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

try:
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import Request as HttpRequest
    from starlette.responses import HTMLResponse, RedirectResponse, Response
    from starlette.routing import Route
except ImportError as _error:
    from fhir_regie.extras import missing_extra

    raise missing_extra("viewer", _error, "the plan viewer") from None

from fhir_regie.client import BearerToken, FhirClient, FhirClientError
from fhir_regie.client.errors import Gone, NotFound
from fhir_regie.client.household import fetch_household
from fhir_regie.consent import Request, share
from fhir_regie.messages import error_words, say
from fhir_regie.render._read import MONTHS, Resource, code, key, name, reference
from fhir_regie.render.document import PlanNotFoundError, plan_document
from fhir_regie.render.html import environment, render_body, stylesheet
from fhir_regie.viewer import smart
from fhir_regie.viewer.security import Guard, RequestLimits, RequestTooLargeError, is_fhir_id
from fhir_regie.viewer.sessions import Session, SessionLimits, SessionStore
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
        clock: the current moment (time-zone aware); tests fix it. Sessions expire by it too.
        sessions: how long sessions live and how many there may be.
        limits: the largest request the viewer reads.
        discovery_ttl: seconds the SMART discovery answer is reused.
    """

    server: str
    client_id: str
    base_url: str
    region: RegionSettings = field(default_factory=load_region)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    sessions: SessionLimits = field(default_factory=SessionLimits)
    limits: RequestLimits = field(default_factory=RequestLimits)
    discovery_ttl: float = 600.0

    def __post_init__(self) -> None:
        self.server = smart.check_url(self.server.rstrip("/"))
        self.base_url = smart.check_url(self.base_url.rstrip("/"), "viewer url")


@dataclass(frozen=True)
class PlanRow:
    """One line of the list: the plan, its household, and what needs attention."""

    plan_id: str
    title: str
    household: str
    phase: str = ""
    status: str = ""
    coordinator: str = ""
    next_date: str = ""
    overdue: int = 0
    next_day: date | None = None

    @property
    def order(self) -> tuple[int, date, str]:
        """What needs attention first: overdue deadlines, then the nearest date."""
        return (-self.overdue, self.next_day or date.max, self.title)


#: What the list reads of a household: the plans and what their summary needs (the group, the
#: agreed actions, the care teams, who coordinates); the guard decides each.
LIST_TYPES = ("CarePlan", "Task", "CareTeam", "Practitioner", "PractitionerRole",
              "Organization")


def create_app(config: ViewerConfig, *,  # noqa: PLR0915 (the handlers share one closure)
               store: SessionStore | None = None,
               discovery: smart.DiscoveryCache | None = None) -> Any:
    """The ASGI app. Routes: ``/launch`` (EHR launch), ``/`` (the list; the sign-in page
    without a session), ``/aanmelden`` (standalone launch), ``/callback``, ``/plan/{id}``,
    ``/afmelden`` (POST). ``store`` and ``discovery`` may be given (tests look inside)."""
    sessions = SessionStore(config.sessions, config.clock) if store is None else store
    endpoints = smart.DiscoveryCache(config.server, config.discovery_ttl) if discovery is None \
        else discovery
    https = config.base_url.startswith("https://")

    def page(title: str, body: str, status: int = 200) -> HTMLResponse:
        template = environment().get_template("viewer.html.j2")
        return HTMLResponse(template.render(title=title, body=body, css=stylesheet()),
                            status_code=status)

    def problem(message: str, status: int) -> HTMLResponse:
        title = say("viewer.problem.title")
        return page(title, f"<h1>{title}</h1><p>{html_escape.escape(message)}</p><p><a "
                           f"href=\"/\">{say('viewer.start_again')}</a></p>", status)

    def refusal(title: str, message: str, status: int) -> HTMLResponse:
        return page(title, f"<h1>{html_escape.escape(title)}</h1><p>"
                           f"{html_escape.escape(message)}</p><p><a href=\"/\">"
                           f"{say('viewer.to_start')}</a></p>", status)

    def sign_in_page(expired: bool = False) -> HTMLResponse:
        said = "<p>Uw sessie is verlopen.</p>" if expired else ""
        return page("Aanmelden", "<h1>Gedeelde plannen</h1>" + said + "<p>Meld u aan om de "
                    "plannen te zien die met uw organisatie gedeeld zijn.</p>"
                    "<p><a href=\"/aanmelden\">Aanmelden</a></p>")

    def start(request: HttpRequest, launch: str | None) -> Response:
        sessions.end(request.cookies.get(COOKIE, ""))  # a new launch replaces the old session
        try:
            found = endpoints.endpoints()
        except smart.LaunchError as error:
            return problem(str(error), 502)
        client = smart.new_client(iss=config.server, client_id=config.client_id,
                                  redirect_uri=f"{config.base_url}/callback",
                                  endpoints=found, launch=launch)
        nonce = smart.new_nonce()
        target = smart.authorize_url(client, nonce)
        launch_id = sessions.begin(client.state, nonce)
        response = RedirectResponse(target, status_code=302)
        set_cookie(response, launch_id)
        return response

    def set_cookie(response: Response, value: str) -> None:
        response.set_cookie(COOKIE, value, httponly=True, samesite="lax", secure=https,
                            max_age=int(config.sessions.absolute.total_seconds()))

    def launch(request: HttpRequest) -> Response:
        iss = (request.query_params.get("iss") or "").rstrip("/")
        token = request.query_params.get("launch")
        if not token:
            return problem(say("viewer.launch_missing"), 400)
        if iss != config.server:
            # A launch naming another server would make us fetch and trust its data.
            return problem(say("viewer.other_server"), 400)
        return start(request, token)

    def standalone(request: HttpRequest) -> Response:
        return start(request, None)

    def callback(request: HttpRequest) -> Response:
        waiting = sessions.launch(request.cookies.get(COOKIE, ""))
        if waiting is None:
            return problem(say("viewer.launch_expired"), 400)
        client = smart.restore(waiting.state)
        try:
            client.handle_callback(str(request.url))
            ctx = smart.context(client, waiting.nonce, config.client_id)
        except Exception as error:  # fhirclient raises bare Exceptions (state, OAuth error)
            return problem(say("viewer.sign_in_failed", error=error.__class__.__name__), 400)
        response = RedirectResponse("/", status_code=302)
        set_cookie(response, sessions.sign_in(waiting, ctx, client.state))
        return response

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

    def connect(request: HttpRequest) -> tuple[Session, FhirClient, str] | Response:
        """The signed-in session, a client with its token, and the user's organisation; or
        the page to show instead (no session: the sign-in page, never a launch)."""
        cookie = request.cookies.get(COOKIE, "")
        session = sessions.get(cookie) if cookie else None
        if session is None or session.context is None:
            return sign_in_page(expired=bool(cookie))
        client = FhirClient(config.server, auth=BearerToken(session.context.access_token))
        try:
            org = organisation(session.context, client)
        except FhirClientError as error:
            client.close()
            return problem(say("viewer.organisation_unknown", error=error_words(error)), 502)
        if not org:
            client.close()
            return problem(say("viewer.no_organisation"), 403)
        return session, client, org

    def home(request: HttpRequest) -> Response:
        connected = connect(request)
        if isinstance(connected, Response):
            return connected
        with connected[1]:
            return show_list(*connected)

    def show_list(session: Session, client: FhirClient, org: str) -> Response:
        ctx = session.context
        assert ctx is not None
        rows: list[PlanRow] = []
        try:
            for household_id in households(client, ctx.patient):
                resources = fetch_household(client, household_id)
                plans = [r for r in resources.values() if r.get("resourceType") == "CarePlan"]
                group = resources[f"Group/{household_id}"]
                shared = guard(resources, org, ctx, data=[group, *(
                    r for r in resources.values() if r.get("resourceType") in LIST_TYPES)])
                went = {key(e["resource"]): e["resource"] for e in shared.bundle["entry"]}
                label = name(went.get(f"Group/{household_id}")) or "Huishouden"
                rows += [plan_row(went, p, label) for p in plans if key(p) in went]
                record(client, shared, ctx)
        except FhirClientError as error:
            return problem(say("viewer.server_error", error=error_words(error)), 502)
        body = environment().get_template("viewer_list.html.j2").render(
            rows=sorted(rows, key=lambda row: row.order))
        return page("Gedeelde plannen", body)

    def plan_row(went: dict[str, Resource], plan: Resource, household: str) -> PlanRow:
        summary = plan_document(list(went.values()), str(plan["id"]), region=config.region,
                                at=config.clock().date()).summary
        day = summary.next_day
        status = (f"{summary.overdue} termijn{'en' if summary.overdue > 1 else ''} verlopen"
                  if summary.overdue else summary.status)
        return PlanRow(str(plan["id"]), str(plan.get("title") or "Plan"), household,
                       phase=summary.phase, status=status, coordinator=summary.coordinator,
                       next_date=f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day
                       else "", overdue=summary.overdue, next_day=day)

    def plan(request: HttpRequest) -> Response:
        plan_id = request.path_params["plan_id"]
        if not is_fhir_id(plan_id):
            return refusal(say("viewer.plan_not_found.title"),
                           say("viewer.plan_not_found.text"), 404)
        connected = connect(request)
        if isinstance(connected, Response):
            return connected
        with connected[1]:
            return show_plan(plan_id, *connected)

    def show_plan(plan_id: str, session: Session, client: FhirClient, org: str) -> Response:
        ctx = session.context
        assert ctx is not None
        try:
            found = client.read("CarePlan", plan_id, as_dict=True)
            subject = reference(found.get("subject")) or ""
            household_id = subject.split("/", 1)[1] if subject.startswith("Group/") else next(
                iter(households(client, subject.split("/", 1)[-1])), None)
            if household_id is None:
                return problem(say("viewer.no_household"), 404)
            resources = fetch_household(client, household_id)
            shared = guard(resources, org, ctx)
            went = [e["resource"] for e in shared.bundle["entry"]]
            document = plan_document(went, plan_id, region=config.region,
                                     at=config.clock().date(),
                                     audience="Alleen om mee te kijken",
                                     left_out=len(shared.decision.resources) - len(went))
            record(client, shared, ctx)
        except (NotFound, Gone):
            return refusal(say("viewer.plan_not_found.title"),
                           say("viewer.plan_not_found.text"), 404)
        except PlanNotFoundError:
            return problem(say("viewer.not_allowed"), 403)
        except FhirClientError as error:
            return problem(say("viewer.server_error", error=error_words(error)), 502)
        body = environment().get_template("viewer_plan.html.j2").render(
            doc=document, body=render_body(document, with_summary=True))
        return page(document.title, body)

    async def logout(request: HttpRequest) -> Response:
        sessions.end(request.cookies.get(COOKIE, ""))
        response = RedirectResponse("/afgemeld", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    async def signed_out(request: HttpRequest) -> Response:  # noqa: ARG001 (route API)
        return page("Afgemeld", "<h1>U bent afgemeld</h1><p>Sluit dit venster.</p>")

    async def not_found(request: HttpRequest, exc: Exception) -> Response:  # noqa: ARG001
        if isinstance(exc, HTTPException) and exc.status_code == 405:
            return refusal(say("viewer.problem.title"), say("viewer.method_not_allowed"), 405)
        return refusal(say("viewer.page_not_found.title"), say("viewer.page_not_found.text"),
                       404)

    async def too_large(request: HttpRequest, exc: Exception) -> Response:  # noqa: ARG001
        return refusal(say("viewer.too_large.title"), say("viewer.too_large.text"), 413)

    async def failed(request: HttpRequest, exc: Exception) -> Response:  # noqa: ARG001
        return refusal(say("viewer.failed.title"), say("viewer.failed.text"), 500)

    app = Starlette(routes=[
        Route("/", home), Route("/launch", launch), Route("/aanmelden", standalone),
        Route("/callback", callback), Route("/plan/{plan_id}", plan),
        Route("/afmelden", logout, methods=["POST"]), Route("/afgemeld", signed_out)],
        exception_handlers={404: not_found, 405: not_found, RequestTooLargeError: too_large,
                            Exception: failed})
    return Guard(app, refusal, config.limits, https)
