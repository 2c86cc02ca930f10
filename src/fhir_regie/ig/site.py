"""A browsable static site of the guide, generated from the package data with Jinja.

The HL7 IG Publisher needs its templates from the web, so the guide renders its own site: one
page per profile and extension (differential and snapshot tables, bindings, invariants with their
FHIRPath, the examples that claim it), per value set, code system, CapabilityStatement,
SearchParameter and NamingSystem, every example as JSON, and the narrative of docs/ig.

Example::

    fhir-regie ig site -o site/        # then open site/index.html

Everything is read from the installed package data (``fhir_regie/ig/package``) and the
narrative (``docs/ig`` of a checkout, or the copy installed as ``fhir_regie/ig/narrative``), so
the command works from a wheel. Needs Jinja2 (the ``[render]`` extra).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fhir_regie.ig import CANONICAL, IGPackage, load_package

Resource = dict[str, Any]
KINDS = ("StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap", "CapabilityStatement",
         "SearchParameter", "NamingSystem")


class SiteError(Exception):
    """The site could not be written; the message says why in one line."""


def page_name(resource: Resource) -> str:
    return f"{resource['resourceType']}-{resource['id']}.html"


def narrative_folder() -> Path | None:
    """docs/ig of the checkout this module lives in, else the installed copy."""
    here = Path(__file__).resolve()
    for folder in here.parents:
        candidate = folder / "docs" / "ig"
        if candidate.is_dir() and (folder / "sushi-config.yaml").is_file():
            return candidate
    installed = here.parent / "narrative"
    return installed if installed.is_dir() else None


# ---------------------------------------------------------------------------------------------
# A small Markdown subset for the narrative: headings, paragraphs, lists, tables, code blocks,
# inline code, emphasis and links (``x.md`` -> ``x.html``). Everything is escaped first.

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def _inline(text: str, known_pages: set[str]) -> str:
    parts = re.split(r"(`[^`]*`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
            continue
        escaped = html.escape(part, quote=False)
        escaped = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", escaped)
        escaped = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?!\w)", r"<em>\1</em>", escaped)

        def link(match: re.Match[str]) -> str:
            label, target = match.group(1), match.group(2)
            anchor = ""
            if "#" in target:
                target, anchor = target.split("#", 1)
                anchor = "#" + anchor
            name = Path(target).name
            if target.endswith(".md") and not target.startswith(("http:", "https:")):
                page = "narrative-" + name.removesuffix(".md") + ".html"
                if page in known_pages:
                    return f'<a href="{html.escape(page)}{html.escape(anchor)}">{label}</a>'
                return f"{label} (<code>{html.escape(target)}</code>)"
            if target.startswith(("http:", "https:")):
                return f'<a href="{html.escape(target)}{html.escape(anchor)}">{label}</a>'
            return f"{label} (<code>{html.escape(target)}</code>)"

        out.append(_LINK.sub(link, escaped))
    return "".join(out)


def _table(rows: list[str], known_pages: set[str]) -> str:
    """A Markdown table (``|`` rows; ``\\|`` is a bar inside a cell) as HTML."""
    cells = [re.split(r"(?<!\\)\|", row.strip("|")) for row in rows]
    body = [row for row in cells if not all(re.fullmatch(r"\s*:?-+:?\s*", c) for c in row)]
    table = ["<table>"]
    for number, row in enumerate(body):
        tag = "th" if number == 0 else "td"
        table.append("<tr>" + "".join(
            f"<{tag}>{_inline(cell.strip().replace(chr(92) + '|', '|'), known_pages)}</{tag}>"
            for cell in row) + "</tr>")
    table.append("</table>")
    return "".join(table)


def _list(items: list[str], ordered: bool, known_pages: set[str]) -> str:
    tag = "ol" if ordered else "ul"
    return (f"<{tag}>" + "".join(f"<li>{_inline(item, known_pages)}</li>" for item in items)
            + f"</{tag}>")


def markdown_html(text: str, known_pages: set[str]) -> str:
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph), known_pages)}</p>")
            paragraph.clear()

    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            block = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith("```"):
                block.append(lines[index])
                index += 1
            out.append(f"<pre>{html.escape(chr(10).join(block))}</pre>")
        elif stripped.startswith("#"):
            flush()
            level = min(len(stripped) - len(stripped.lstrip("#")), 6)
            out.append(f"<h{level}>{_inline(stripped[level:].strip(), known_pages)}</h{level}>")
        elif stripped.startswith("|"):
            flush()
            rows = []
            while index < len(lines) and lines[index].strip().startswith("|"):
                rows.append(lines[index].strip())
                index += 1
            index -= 1
            out.append(_table(rows, known_pages))
        elif re.match(r"^\s*([-*]|\d+\.)\s+", line):
            flush()
            ordered = bool(re.match(r"^\s*\d+\.", line))
            items: list[str] = []
            while index < len(lines) and (re.match(r"^\s*([-*]|\d+\.)\s+", lines[index])
                                          or (lines[index].startswith("  ") and items
                                              and lines[index].strip())):
                current = lines[index]
                if re.match(r"^\s*([-*]|\d+\.)\s+", current):
                    items.append(re.sub(r"^\s*([-*]|\d+\.)\s+", "", current))
                else:
                    items[-1] += " " + current.strip()
                index += 1
            index -= 1
            out.append(_list(items, ordered, known_pages))
        elif not stripped:
            flush()
        else:
            paragraph.append(stripped)
        index += 1
    flush()
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# The model the templates read.

@dataclass
class Element:
    path: str
    id: str
    depth: int
    card: str
    types: str
    flags: str
    short: str
    binding: str
    binding_url: str | None
    fixed: str


@dataclass
class Site:
    package: IGPackage
    pages: dict[str, Resource] = field(default_factory=dict)  # page name -> resource
    narrative: dict[str, tuple[str, str]] = field(default_factory=dict)  # page -> (title, html)

    def link(self, url: str | None) -> str | None:
        """The page of a canonical of this guide, or None."""
        if not url:
            return None
        resource = self.package.conformance.get(url.split("|", 1)[0])
        return page_name(resource) if resource is not None else None


def _types(element: Resource) -> str:
    names = []
    for kind in element.get("type", []):
        code = kind.get("code", "")
        targets = [t.rsplit("/", 1)[-1] for t in kind.get("targetProfile", [])]
        profiles = [p.rsplit("/", 1)[-1] for p in kind.get("profile", [])]
        extra = targets or profiles
        names.append(f"{code}({' | '.join(extra)})" if extra else code)
    return ", ".join(names)


def _fixed(element: Resource) -> str:
    for key, value in element.items():
        if key.startswith(("fixed", "pattern")):
            return f"{key}: {json.dumps(value, ensure_ascii=False)}"
    return ""


def elements(definition: Resource, which: str) -> list[Element]:
    rows = []
    for element in definition.get(which, {}).get("element", []):
        path = element.get("path", "")
        card = ""
        if "min" in element or "max" in element:
            card = f"{element.get('min', '')}..{element.get('max', '')}"
        binding = element.get("binding", {})
        flags = " ".join(flag for flag, on in (("MS", element.get("mustSupport")),
                                               ("?!", element.get("isModifier")),
                                               ("Σ", element.get("isSummary"))) if on)
        element_id = element.get("id", path)
        rows.append(Element(
            path=path, id=element_id, depth=element_id.count("."), card=card,
            types=_types(element), flags=flags, short=element.get("short", ""),
            binding=(f"{binding.get('strength', '')} {binding.get('valueSet', '')}".strip()
                     if binding else ""),
            binding_url=binding.get("valueSet"), fixed=_fixed(element)))
    return rows


def invariants(definition: Resource) -> list[Resource]:
    """The constraints this guide adds (from the differential), with their FHIRPath."""
    found = []
    for element in definition.get("differential", {}).get("element", []):
        for constraint in element.get("constraint", []):
            found.append({"path": element.get("path", ""), **constraint})
    return found


def bindings(definition: Resource) -> list[Resource]:
    found = []
    for element in definition.get("differential", {}).get("element", []):
        if element.get("binding", {}).get("valueSet"):
            found.append({"path": element.get("id", element.get("path")),
                          **element["binding"]})
    return found


def examples_of(package: IGPackage, url: str) -> list[Resource]:
    return [resource for _, resource in sorted(package.examples.items())
            if url in resource.get("meta", {}).get("profile", [])]


def _environment() -> Any:
    try:
        from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
    except ImportError as error:
        from fhir_regie.extras import missing_extra

        raise missing_extra("render", error, "the guide's site") from None
    env = Environment(loader=PackageLoader("fhir_regie.ig", "site_templates"),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["json"] = lambda value: json.dumps(value, indent=2, ensure_ascii=False)
    env.filters["page"] = page_name
    return env


def nlcore_alignment() -> dict[str, Any]:
    """The recorded relation of the regie-* profiles to zib 2020 / nl-core (``nlcore.yaml``)."""
    from importlib import resources

    import yaml

    text = (resources.files("fhir_regie.ig") / "nlcore.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    method = "\n".join(line[2:] for line in text.splitlines()
                       if line.startswith("# ") and not line.startswith("# How"))
    data["method"] = " ".join(method.split())
    return dict(data)


def _title(resource: Resource) -> str:
    return str(resource.get("title") or resource.get("name") or resource["id"])


def build_site(out: Path, package: IGPackage | None = None) -> list[Path]:
    """Write the site to ``out``; returns the pages written."""
    package = package or load_package()
    env = _environment()
    site = Site(package)
    for resource in package.conformance.values():
        if resource["resourceType"] in KINDS:
            site.pages[page_name(resource)] = resource
    folder = narrative_folder()
    narrative_sources = sorted(folder.glob("*.md")) if folder else []
    known = {f"narrative-{p.stem}.html" for p in narrative_sources}
    for source in narrative_sources:
        text = source.read_text(encoding="utf-8")
        heading = next((line.lstrip("# ").strip() for line in text.splitlines()
                        if line.startswith("#")), source.stem)
        site.narrative[f"narrative-{source.stem}.html"] = (heading,
                                                          markdown_html(text, known))
    by_kind: dict[str, list[Resource]] = {}
    for resource in sorted(site.pages.values(), key=lambda r: (r["resourceType"], r["id"])):
        key = resource["resourceType"]
        if key == "StructureDefinition":
            key = "Extension" if resource.get("type") == "Extension" else "Profile"
        by_kind.setdefault(key, []).append(resource)
    examples = [resource for _, resource in sorted(package.examples.items())]

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SiteError(f"cannot create {out}: {error.strerror or error}") from None
    written: list[Path] = []
    alignment = nlcore_alignment()
    common = {"manifest": package.manifest, "site": site, "title_of": _title,
              "canonical": CANONICAL, "narrative": site.narrative, "nlcore": alignment}

    def write(name: str, template: str, **values: Any) -> None:
        text = env.get_template(template).render(**common, **values)
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)

    write("index.html", "index.html", by_kind=by_kind, examples=examples)
    write("style.css", "style.css")
    for name, (heading, body) in site.narrative.items():
        write(name, "narrative.html", heading=heading, body=body)
    for name, resource in sorted(site.pages.items()):
        kind = resource["resourceType"]
        if kind == "StructureDefinition":
            write(name, "profile.html", sd=resource,
                  differential=elements(resource, "differential"),
                  snapshot=elements(resource, "snapshot"),
                  invariants=invariants(resource), bindings=bindings(resource),
                  examples=examples_of(package, resource["url"]),
                  alignment=alignment["profiles"].get(resource["id"]))
        else:
            write(name, "resource.html", resource=resource)
    for resource in examples:
        write(f"example-{resource['resourceType']}-{resource['id']}.html", "example.html",
              resource=resource)
    return written
