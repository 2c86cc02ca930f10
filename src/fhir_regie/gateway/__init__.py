"""The consent-enforcing FHIR gateway (docs/gateway.md): partner systems (a GP information
system, a youth health care record) read the shared plan from their own EHR through the
consent guard, authenticated with SMART Backend Services.

``fhir-regie gateway --upstream URL --registry clients.yaml`` runs it; as an ASGI app::

    from fhir_regie.gateway.app import GatewayConfig, create_app
    from fhir_regie.gateway.registry import Registry

    app = create_app(GatewayConfig(upstream="http://127.0.0.1:8080/fhir",
                                   registry=Registry.load("clients.yaml"),
                                   base_url="https://gateway.example.nl/fhir"))

Modules: ``registry`` (the client registry file), ``tokens`` (the token endpoint), ``scopes``
(SMART v2 system scopes), ``guarded`` (answers through the guard, the status write),
``search`` (which searches are answered), ``capability`` (``/metadata``), ``app`` (routes,
limits), ``cli``. The app needs the ``gateway`` extra (Starlette, uvicorn).
"""
