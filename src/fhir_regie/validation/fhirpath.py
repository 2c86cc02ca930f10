"""FHIRPath invariants compiled to Python closures, with fhirpathpy as the reference.

Why: fhirpathpy interprets an ANTLR parse tree on every call, ~1-2 ms per invariant; the
validator evaluates thousands of invariants per second (every element carries ``ele-1``).
This module parses an expression once into closures over plain JSON (dicts, lists, strings,
numbers, booleans) for the subset of FHIRPath that invariants use: paths (choice elements by
their typed key, e.g. ``value`` -> ``valueBoolean``), ``where``/``exists``/``all``/``select``,
``empty``, ``not``, ``count``, ``first``, ``hasValue``, ``iif``, ``matches``, ``substring``,
``toInteger``, ``length``, ``startsWith``, ``isDistinct``, ``intersect``, ``distinct``,
three-valued ``and``/``or``/``xor``/``implies``, ``=``/``!=``, comparisons, arithmetic,
``|``, ``%resource`` and ``$this``.

Anything outside that subset, or a value whose meaning depends on FHIR types (date-time
comparisons at different precisions, primitive extensions, deep equality of complex values,
``resolve()``, ``ofType()``, ``descendants()``, ...), raises :class:`Fallback` inside, and the
expression is evaluated by fhirpathpy instead (typed by its base, so choice elements resolve
as they do here). Where fhirpathpy answers, the compiled path gives the same answer, only
faster; ``tests/unit/test_fhirpath.py`` checks that expression by expression on every element of
every example and fixture and on generated variants. One deliberate difference: ``or``,
``and`` and ``implies`` stop when their left side decides the result (true or ..., false and
..., false implies ...), as the spec's truth tables allow, where fhirpathpy evaluates the right
side anyway and may fail on it. And date-times of the same precision are compared in time
(zones applied, FHIRPath §6.1.5), where fhirpathpy 2.2 compares some of them as text.

``ele-1`` and ``ext-1``, which sit on nearly every element, have direct implementations
(:data:`NATIVE`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

Items = list[Any]
#: What ``resolve()`` can reach: a literal reference -> the resource, or None (not at hand).
Resolver = Callable[[str], Any]
#: (node, %resource[, resolver]) -> result collection
Evaluator = Callable[..., Items]


class Fallback(Exception):  # noqa: N818 (a control-flow signal, not an error)
    """The compiled form cannot answer this case; ask fhirpathpy."""


class Unsupported(Exception):  # noqa: N818
    """The expression uses FHIRPath outside the compiled subset."""


# ------------------------------------------------------------------------------ tokenizer
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<string>'(?:[^'\\]|\\.)*')
  | (?P<delimited>`(?:[^`\\]|\\.)*`)
  | (?P<date>@[0-9T:.+\-Z]+)
  | (?P<number>[0-9]+(?:\.[0-9]+)?)
  | (?P<special>[$%][A-Za-z_][A-Za-z0-9_]*|%`[^`]*`|%'[^']*')
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|!=|!~|[.()\[\],|+\-*/&=~<>{}])
""", re.VERBOSE)

_ESCAPES = {"'": "'", '"': '"', "`": "`", "\\": "\\", "/": "/", "f": "\f", "n": "\n",
            "r": "\r", "t": "\t"}


def _unescape(text: str) -> str:
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        following = text[index + 1:index + 2]
        if following == "u":
            out.append(chr(int(text[index + 2:index + 6], 16)))
            index += 6
        elif following in _ESCAPES:
            out.append(_ESCAPES[following])
            index += 2
        else:
            raise Unsupported(f"escape \\{following}")
    return "".join(out)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokenize(expression: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None:
            raise Unsupported(f"unexpected character at {position}")
        position = match.end()
        kind = match.lastgroup or ""
        if kind == "ws":
            continue
        text = match.group()
        if kind == "string":
            text = _unescape(text[1:-1])
        elif kind == "delimited":
            kind, text = "ident", _unescape(text[1:-1])
        tokens.append(Token(kind, text))
    return tokens


# --------------------------------------------------------------------------- evaluation
@dataclass
class Context:
    resource: Any
    this: Any = None
    resolver: Resolver | None = None


Expr = Callable[[Items, Context], Items]


def _deferred(focus: Items, context: Context) -> Items:
    """A part of FHIRPath the compiled form leaves to fhirpathpy, reached at run time."""
    raise Fallback


def _type_name(name: str) -> Expr:
    """A type name where an expression stands: evaluated, it defers (a path root such as
    ``Patient.name``); as ofType()'s argument, it names the type."""
    def type_name(focus: Items, context: Context) -> Items:
        raise Fallback
    type_name.type_name = name  # type: ignore[attr-defined]
    return type_name


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


_DATE_LIKE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(T|$)")


def _looks_like_date(value: Any) -> bool:
    return isinstance(value, str) and bool(_DATE_LIKE.match(value))


#: The type suffixes of choice elements (``value[x]`` -> ``valueCodeableConcept``), R4.
CHOICE_SUFFIXES = frozenset({
    "Base64Binary", "Boolean", "Canonical", "Code", "Date", "DateTime", "Decimal", "Id",
    "Instant", "Integer", "Markdown", "Oid", "PositiveInt", "String", "Time", "UnsignedInt",
    "Uri", "Url", "Uuid", "Address", "Age", "Annotation", "Attachment", "CodeableConcept",
    "Coding", "ContactPoint", "Count", "Distance", "Duration", "HumanName", "Identifier", "Money",
    "Period", "Quantity", "Range", "Ratio", "Reference", "SampledData", "Signature", "Timing",
    "ContactDetail", "Contributor", "DataRequirement", "Expression", "ParameterDefinition",
    "RelatedArtifact", "TriggerDefinition", "UsageContext", "Dosage", "Meta",
})


@cache
def _choice_stems() -> frozenset[str]:
    """Names of R4's choice elements (``value`` of ``value[x]``): only these have typed keys.
    ``response`` is none, so ``responseCode`` is not a ``response`` (TestScript tst-5)."""
    from fhir_regie.validation.structure import choice_stems

    return choice_stems()


def _children_named(item: Any, name: str) -> Items:
    if not isinstance(item, dict):
        raise Fallback  # navigation from a primitive (its extensions live in '_name')
    if name in item:
        value = item[name]
        if name in _choice_stems() and any(
                key.startswith(name) and key[len(name):] in CHOICE_SUFFIXES for key in item):
            raise Fallback  # 'value' beside 'valueString': the model decides which counts
    elif name not in _choice_stems():
        if f"_{name}" in item:
            raise Fallback  # a primitive with only an extension: FHIR type knowledge needed
        return []
    else:
        if f"_{name}" in item:
            raise Fallback  # a primitive with only an extension: FHIR type knowledge needed
        typed = [key for key in item
                 if key.startswith(name) and key[len(name):] in CHOICE_SUFFIXES]
        if not typed:
            return []
        if len(typed) > 1:
            raise Fallback
        value = item[typed[0]]
        if isinstance(value, str | int | float | bool) and f"_{typed[0]}" in item:
            raise Fallback
    if isinstance(value, list):
        if any(entry is None for entry in value):
            raise Fallback  # nulls in arrays belong to primitive extensions ('_name')
        return value
    if value is None:
        raise Fallback  # JSON null is not FHIR; what it means is the reference's call
    return [value]


def _truth(items: Items) -> bool | None:
    """Singleton evaluation to a three-valued boolean (fhirpathpy: non-booleans are errors)."""
    if not items:
        return None
    if len(items) == 1 and isinstance(items[0], bool):
        return items[0]
    raise Fallback


def _single(items: Items) -> Any:
    if len(items) != 1:
        raise Fallback
    return items[0]


def _equal_items(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        if isinstance(left, bool) and isinstance(right, bool):
            return left == right
        raise Fallback
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if isinstance(left, str) and isinstance(right, str):
        if left == right:
            return True
        if _looks_like_date(left) or _looks_like_date(right):
            raise Fallback  # dates compare by precision and zone, not as text
        return False
    raise Fallback  # mixed types, quantities, complex values


def _key_of(item: Any) -> str:
    """A hashable identity for distinctness (JSON with sorted keys; types kept apart)."""
    if isinstance(item, str) and _looks_like_date(item):
        raise Fallback
    return f"{type(item).__name__}:{json.dumps(item, sort_keys=True, default=str)}"


def _distinct(items: Items) -> Items:
    seen: set[str] = set()
    out = []
    for item in items:
        key = _key_of(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FULL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _moment(text: str) -> tuple[str, Any] | None:
    """A date or a full date-time with zone as a comparable value; None for other precisions
    (partial dates, times without seconds), which fhirpathpy compares by its own rules."""
    from datetime import date, datetime

    try:
        if _FULL_DATE.match(text):
            return "date", date.fromisoformat(text)
        if _FULL_DATETIME.match(text):
            return "datetime", datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return None


def _compare(operator: str, left: Any, right: Any) -> bool:
    if _is_number(left) and _is_number(right):
        pass
    elif isinstance(left, str) and isinstance(right, str):
        if _looks_like_date(left) or _looks_like_date(right):
            moments = _moment(left), _moment(right)
            if None in moments or moments[0][0] != moments[1][0]:  # type: ignore[index]
                raise Fallback  # different precisions: FHIRPath may answer empty
            left, right = moments[0][1], moments[1][1]  # type: ignore[index]
    else:
        raise Fallback
    if operator == "<":
        return bool(left < right)
    if operator == "<=":
        return bool(left <= right)
    if operator == ">":
        return bool(left > right)
    return bool(left >= right)


def _logic(operator: str, left: bool | None, right: bool | None) -> Items:
    if operator == "and":
        if left is False or right is False:
            return [False]
        return [True] if left is True and right is True else []
    if operator == "or":
        if left is True or right is True:
            return [True]
        return [False] if left is False and right is False else []
    if operator == "xor":
        return [] if left is None or right is None else [left != right]
    # implies
    if left is False:
        return [True]
    if left is True:
        return [] if right is None else [right]
    return [True] if right is True else []


def _arithmetic(operator: str, left: Items, right: Items) -> Items:
    if operator == "&":
        texts = [_single(side) if side else "" for side in (left, right)]
        if not all(isinstance(t, str) for t in texts):
            raise Fallback
        return [texts[0] + texts[1]]
    if not left or not right:
        return []
    a, b = _single(left), _single(right)
    if operator == "+" and isinstance(a, str) and isinstance(b, str):
        return [a + b]
    if not (_is_number(a) and _is_number(b)):
        raise Fallback
    if operator == "+":
        return [a + b]
    if operator == "-":
        return [a - b]
    if operator == "*":
        return [a * b]
    if operator in ("div", "mod") and isinstance(a, int) and isinstance(b, int) \
            and a >= 0 and b > 0:
        return [a // b if operator == "div" else a % b]
    raise Fallback  # '/', negative div/mod, decimals: their own rules


# ------------------------------------------------------------------------------- parser
class _Parser:
    """Recursive descent over FHIRPath's precedence levels, building closures."""

    LEVELS = (("implies",), ("or", "xor"), ("and",), ("in", "contains"),
              ("=", "!=", "~", "!~"), ("<", "<=", ">", ">="), ("|",), ("is", "as"),
              ("+", "-", "&"), ("*", "/", "div", "mod"))

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, text: str | None = None) -> Token:
        token = self.peek()
        if token is None or (text is not None and token.text != text):
            raise Unsupported(f"expected {text!r}")
        self.position += 1
        return token

    def at(self, *texts: str) -> bool:
        token = self.peek()
        return token is not None and token.kind in ("op", "ident") and token.text in texts

    def parse(self) -> Expr:
        expr = self.binary(0)
        if self.peek() is not None:
            raise Unsupported("trailing tokens")
        return expr

    def binary(self, level: int) -> Expr:
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.at(*self.LEVELS[level]):
            operator = self.take().text
            if operator in ("is", "as"):
                self.type_specifier()
                left = _deferred
                continue
            right = self.binary(level + 1)
            if operator in ("~", "!~", "/"):
                left = _deferred
                continue
            left = self.combine(operator, left, right)
        return left

    def type_specifier(self) -> None:
        self.take()
        while self.at("."):
            self.take(".")
            self.take()

    @staticmethod
    def combine(operator: str, left: Expr, right: Expr) -> Expr:
        if operator in ("and", "or", "xor", "implies"):
            def logic(focus: Items, context: Context) -> Items:
                first = _truth(left(focus, context))
                # The spec's truth tables decide these without the right side (which may be
                # costly, e.g. ref-1's '%rootResource.contained' lookup on every Reference).
                if (operator, first) == ("or", True):
                    return [True]
                if (operator, first) in (("and", False), ("implies", False)):
                    return [first is False] if operator == "implies" else [False]
                return _logic(operator, first, _truth(right(focus, context)))
            return logic
        if operator in ("=", "!="):
            def equality(focus: Items, context: Context) -> Items:
                a, b = left(focus, context), right(focus, context)
                if not a or not b:
                    return []
                same = len(a) == len(b) and all(_equal_items(x, y) for x, y in zip(a, b,
                                                                                     strict=True))
                return [same if operator == "=" else not same]
            return equality
        if operator in ("<", "<=", ">", ">="):
            def comparison(focus: Items, context: Context) -> Items:
                a, b = left(focus, context), right(focus, context)
                if not a or not b:
                    return []
                return [_compare(operator, _single(a), _single(b))]
            return comparison
        if operator in ("in", "contains"):
            def membership(focus: Items, context: Context) -> Items:
                a, b = left(focus, context), right(focus, context)
                item, collection = (a, b) if operator == "in" else (b, a)
                if not item:
                    return []
                wanted = _single(item)
                return [any(_equal_items(wanted, other) for other in collection)]
            return membership
        if operator == "|":
            def union(focus: Items, context: Context) -> Items:
                return _distinct(left(focus, context) + right(focus, context))
            return union

        def arithmetic(focus: Items, context: Context) -> Items:
            return _arithmetic(operator, left(focus, context), right(focus, context))
        return arithmetic

    def unary(self) -> Expr:
        if self.at("-", "+"):
            sign = self.take().text
            inner = self.unary()

            def negate(focus: Items, context: Context) -> Items:
                items = inner(focus, context)
                if not items:
                    return []
                value = _single(items)
                if not _is_number(value):
                    raise Fallback
                return [-value if sign == "-" else value]
            return negate
        return self.postfix()

    def postfix(self) -> Expr:
        expr = self.term()
        while True:
            if self.at("."):
                self.take(".")
                expr = self.invocation(expr)
            elif self.at("["):
                self.take("[")
                index_expr = self.binary(0)
                self.take("]")
                expr = self._indexer(expr, index_expr)
            else:
                return expr

    @staticmethod
    def _indexer(expr: Expr, index_expr: Expr) -> Expr:
        def indexed(focus: Items, context: Context) -> Items:
            items = expr(focus, context)
            index = _single(index_expr(focus, context))
            if not isinstance(index, int) or isinstance(index, bool):
                raise Fallback
            return [items[index]] if 0 <= index < len(items) else []
        return indexed

    def term(self) -> Expr:
        token = self.peek()
        if token is None:
            raise Unsupported("unexpected end")
        if token.kind == "string":
            self.take()
            return lambda focus, context, v=token.text: [v]
        if token.kind == "number":
            self.take()
            number: Any = Decimal(token.text) if "." in token.text else int(token.text)
            return lambda focus, context, v=number: [v]
        if token.kind == "date":
            self.take()
            return _deferred
        if token.kind == "special":
            self.take()
            if token.text in ("%resource", "%rootResource", "%context"):
                return lambda focus, context: [] if context.resource is None \
                    else [context.resource]
            if token.text == "$this":
                return lambda focus, context: [] if context.this is None else [context.this]
            if token.text == "%ucum":  # fhirpath.html#vars (Age, Duration, Distance, ...)
                return lambda focus, context: ["http://unitsofmeasure.org"]
            return _deferred  # %vs-..., $index, $total
        if token.kind == "op" and token.text == "(":
            self.take("(")
            inner = self.binary(0)
            self.take(")")
            return inner
        if token.kind == "op" and token.text == "{":
            self.take("{")
            self.take("}")
            return lambda focus, context: []
        if token.kind == "ident":
            if token.text in ("true", "false"):
                self.take()
                return lambda focus, context, v=token.text == "true": [v]
            if token.text[:1].isupper() and not self._is_call():
                self.take()
                return _type_name(token.text)  # a type (ofType(X)) or a path root: deferred
            return self.invocation(lambda focus, context: focus)
        raise Unsupported(token.text)

    def _is_call(self) -> bool:
        following = self.tokens[self.position + 1] if self.position + 1 < len(self.tokens) \
            else None
        return following is not None and following.text == "("

    def invocation(self, source: Expr) -> Expr:
        name = self.take().text
        if name.startswith(("$", "%")):
            raise Unsupported(name)
        if not self.at("("):
            def member(focus: Items, context: Context) -> Items:
                return [child for item in source(focus, context)
                        for child in _children_named(item, name)]
            return member
        self.take("(")
        arguments: list[Expr] = []
        while not self.at(")"):
            arguments.append(self.binary(0))
            if self.at(","):
                self.take(",")
        self.take(")")
        return _function(name, source, arguments)


def _each(argument: Expr, item: Any, context: Context) -> Items:
    return argument([item], Context(context.resource, item, context.resolver))


def _where_truth(items: Items) -> bool:
    result = _truth(items)
    return result is True


def _function(name: str, source: Expr, arguments: list[Expr]) -> Expr:
    count = len(arguments)

    def need(*allowed: int) -> None:
        if count not in allowed:
            raise Unsupported(f"{name} with {count} arguments")

    if name == "exists":
        need(0, 1)
        if count == 0:
            return lambda focus, context: [bool(source(focus, context))]
        return lambda focus, context: [any(_where_truth(_each(arguments[0], item, context))
                                           for item in source(focus, context))]
    if name == "where":
        need(1)
        return lambda focus, context: [item for item in source(focus, context)
                                       if _where_truth(_each(arguments[0], item, context))]
    if name == "all":
        need(1)
        return lambda focus, context: [all(_where_truth(_each(arguments[0], item, context))
                                           for item in source(focus, context))]
    if name == "select":
        need(1)
        return lambda focus, context: [value for item in source(focus, context)
                                       for value in _each(arguments[0], item, context)]
    if name == "empty":
        need(0)
        return lambda focus, context: [not source(focus, context)]
    if name == "count":
        need(0)
        return lambda focus, context: [len(source(focus, context))]
    if name == "first":
        need(0)
        return lambda focus, context: source(focus, context)[:1]
    if name == "not":
        need(0)

        def negation(focus: Items, context: Context) -> Items:
            truth = _truth(source(focus, context))
            return [] if truth is None else [not truth]
        return negation
    if name == "hasValue":
        need(0)

        def has_value(focus: Items, context: Context) -> Items:
            items = source(focus, context)
            return [len(items) == 1 and isinstance(items[0], str | int | float | bool)]
        return has_value
    if name == "iif":
        need(2, 3)

        def choose(focus: Items, context: Context) -> Items:
            items = source(focus, context)
            if len(items) > 1:
                raise Fallback
            this = items[0] if items else None
            inner = Context(context.resource, this, context.resolver)
            if _where_truth(arguments[0](items, inner)):
                return arguments[1](items, inner)
            return arguments[2](items, inner) if count == 3 else []
        return choose
    if name in ("isDistinct", "distinct"):
        need(0)
        if name == "distinct":
            return lambda focus, context: _distinct(source(focus, context))
        return lambda focus, context: [len(_distinct(items := source(focus, context)))
                                       == len(items)]
    if name == "intersect":
        need(1)

        def intersect(focus: Items, context: Context) -> Items:
            other = {_key_of(item) for item in arguments[0](focus, context)}
            return [item for item in _distinct(source(focus, context)) if _key_of(item) in other]
        return intersect
    if name == "resolve":
        need(0)
        return _resolve_function(source)
    if name == "ofType":
        need(1)
        return _of_type(source, arguments[0])
    if name == "trace":
        return source  # tracing is for people debugging; the value passes through unchanged
    if name in ("matches", "startsWith", "endsWith", "contains", "substring", "length",
                "toInteger", "upper", "lower"):
        return _string_function(name, source, arguments)
    # resolve(), ofType(), descendants(), trace(), memberOf(), today(), ...: fhirpathpy
    # answers, but only when the evaluation gets here (not for an empty 'contained').
    return _deferred


def _resolve_function(source: Expr) -> Expr:
    """resolve(): what the validator has at hand, a contained resource (``#id``) or another
    entry of the Bundle being validated; anything else resolves to nothing, so ctm-1's
    ``member.resolve().iif(empty(), true, ...)`` holds for a target it cannot see, as in the
    HL7 validator."""
    def resolve(focus: Items, context: Context) -> Items:
        items = source(focus, context)  # still evaluated: its own deferrals must be seen
        if context.resolver is None:
            return []
        found = []
        for item in items:
            reference = item.get("reference") if isinstance(item, dict) else None
            if isinstance(reference, str):
                target = context.resolver(reference)
                if target is not None:
                    found.append(target)
        return found
    return resolve


def _of_type(source: Expr, argument: Expr) -> Expr:
    """ofType(Type) for resources (what resolve() gives): by their resourceType. Other
    values need FHIR type knowledge: fhirpathpy."""
    wanted = getattr(argument, "type_name", None)

    def of_type(focus: Items, context: Context) -> Items:
        if wanted is None:
            raise Fallback
        items = source(focus, context)
        if not all(isinstance(i, dict) and isinstance(i.get("resourceType"), str)
                   for i in items):
            raise Fallback
        return [i for i in items if i["resourceType"] == wanted]
    return of_type


def _string_function(name: str, source: Expr, arguments: list[Expr]) -> Expr:
    def apply(focus: Items, context: Context) -> Items:
        items = source(focus, context)
        if not items:
            return []
        value = _single(items)
        if name == "toInteger":
            if isinstance(value, int) and not isinstance(value, bool):
                return [value]
            if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]+", value):
                return [int(value)]
            raise Fallback
        if not isinstance(value, str):
            raise Fallback
        if name == "length":
            return [len(value)]
        if name in ("upper", "lower"):
            return [value.upper() if name == "upper" else value.lower()]
        parameters = [arg(focus, context) for arg in arguments]
        if any(not p for p in parameters):
            return []
        values = [_single(p) for p in parameters]
        if name == "substring":
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                raise Fallback
            start = values[0]
            if start < 0 or start >= len(value):
                return []
            end = start + values[1] if len(values) > 1 else None
            return [value[start:end]]
        if len(values) != 1 or not isinstance(values[0], str):
            raise Fallback
        if name == "matches":
            try:
                return [re.search(values[0], value) is not None]
            except re.error:
                raise Fallback from None
        if name == "startsWith":
            return [value.startswith(values[0])]
        if name == "endsWith":
            return [value.endswith(values[0])]
        return [values[0] in value]
    return apply


# ----------------------------------------------------------------------------- natives
def _ele_1(node: Any, resource: Any) -> Items:
    """``hasValue() or (children().count() > id.count())``: a value, or a child besides id."""
    if isinstance(node, dict):
        # As children() counts them: every key but id, a null too, an empty array not; a
        # primitive with only an extension ('_event') is a child all the same, as the HL7
        # validator counts it (fhirpathpy 2.2 has no hasValue(), so this is ele-1's only
        # evaluator).
        # (a loop that stops at the first child: ele-1 runs on every object of every
        # resource, and a generator costs more than the test)
        for key, value in node.items():
            if key != "id" and value != [] and (
                    key[:1] != "_" or _has_extension_content(value)):
                return [True]
        return [False]
    return [node is not None]


def _has_extension_content(value: Any) -> bool:
    """A primitive's '_name' that holds something (an object that is not empty), not only
    nulls."""
    items = value if isinstance(value, list) else [value]
    return any(isinstance(item, dict) and item for item in items)


def _ext_1(node: Any, resource: Any) -> Items:
    """``extension.exists() != value.exists()``: nested extensions or a value, not both."""
    if not isinstance(node, dict):
        raise Fallback
    nested = node.get("extension") not in ([], None)
    values = [value for key, value in node.items()
              if key.startswith("value") and key[5:] in CHOICE_SUFFIXES]
    if len(values) > 1:
        raise Fallback  # two value[x] keys: invalid, and which one counts is the model's call
    valued = bool(values) and values[0] not in ([], None)
    if not values:
        # a primitive value with only its own extension ('_valueString') is a value all the
        # same, as the HL7 validator counts it
        valued = any(key.startswith("_value") and key[6:] in CHOICE_SUFFIXES
                     and item not in ([], None) for key, item in node.items())
    return [nested != valued]


def _strings_at(value: Any, key: str | None, found: set[str], refers: list[bool]) -> None:
    """Every string of a JSON value that could name a contained resource: ``reference``
    values, and values starting with '#' (canonical, uri, url); ``refers`` notes a reference
    to the container itself ('#')."""
    stack = [(value, key)]
    while stack:
        item, name = stack.pop()
        if isinstance(item, dict):
            stack.extend((entry, name_) for name_, entry in item.items())
        elif isinstance(item, list):
            stack.extend((entry, name) for entry in item)
        elif isinstance(item, str) and (name == "reference" or item.startswith("#")):
            found.add(item)
            if item == "#":
                refers[0] = True


def _dom_3(node: Any, resource: Any) -> Items:
    """dom-3: every contained resource is referred to from elsewhere in the resource ('#id'
    in a reference, canonical, uri or url), or refers to its container ('#').

    fhirpathpy 2.2 cannot evaluate dom-3 on a resource with contained resources (its ``as``
    wants a singleton), so this is its only evaluator. Without FHIR types at hand, any string
    of the resource equal to '#id' counts, not only those typed canonical, uri or url; a
    free-text element holding exactly '#id' is the one case where that differs.
    """
    if not isinstance(node, dict):
        raise Fallback
    contained = node.get("contained")
    if not isinstance(contained, list) or not contained:
        return [True]
    everywhere: set[str] = set()
    _strings_at(node, None, everywhere, [False])
    for item in contained:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue  # no id: '#' + id is empty, so the condition is empty and it passes
        refers = [False]
        _strings_at(item, None, set(), refers)
        if "#" + item["id"] not in everywhere and not refers[0]:
            return [False]
    return [True]


def _ref_1(node: Any, resource: Any) -> Items:
    """ref-1: a local reference ('#id') names a resource contained in ``%rootResource``
    (the engine passes the container as ``resource`` for a contained resource).

    The most frequent invariant of all (every Reference), and one the compiled subset leaves
    to fhirpathpy (``trace()``, ``%rootResource``); answered here as fhirpathpy answers it.
    What it would answer otherwise (the container itself, '#'; a primitive with only an
    extension; odd JSON) is still fhirpathpy's."""
    if not isinstance(node, dict) or "_reference" in node or not isinstance(resource, dict):
        raise Fallback  # (fhirpathpy has no %rootResource without a resource: an error)
    reference = node.get("reference")
    if reference is None:
        return []  # reference.startsWith('#') is empty, and so is the whole 'or'
    if not isinstance(reference, str) or reference == "#":
        raise Fallback
    if not reference.startswith("#"):
        return [True]
    contained = resource.get("contained", [])
    if not isinstance(contained, list):
        raise Fallback
    ids = []
    for item in contained:
        if not isinstance(item, dict) or not isinstance(item.get("id", ""), str) \
                or "_id" in item:
            raise Fallback
        if "id" in item:
            ids.append(item["id"])
    return [reference[1:] in ids]


NATIVE: dict[str, Evaluator] = {
    "hasValue() or (children().count() > id.count())": _ele_1,
    "extension.exists() != value.exists()": _ext_1,
    # ref-1 as R4 core states it
    "reference.startsWith('#').not() or (reference.substring(1).trace('url') in "
    "%rootResource.contained.id.trace('ids'))": _ref_1,
    # dom-3 as R4 core states it
    "contained.where((('#'+id in (%resource.descendants().reference | "
    "%resource.descendants().as(canonical) | %resource.descendants().as(uri) | "
    "%resource.descendants().as(url))) or descendants().where(reference = '#').exists() or "
    "descendants().where(as(canonical) = '#').exists() or "
    "descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()":
        _dom_3,
}


# ---------------------------------------------------------------------------- interface
_RESOLVER: ContextVar[Resolver | None] = ContextVar("fhir_regie_resolver", default=None)


def _resolve(inputs: Items) -> Items:
    """resolve() for the reference, which fhirpathpy 2.2 lacks: what the compiled form
    reaches (contained resources, Bundle entries), through the evaluation's resolver."""
    resolver = _RESOLVER.get()
    if resolver is None:
        return []
    found = []
    for item in inputs:
        reference = item.get("reference") if isinstance(item, dict) else None
        target = resolver(reference) if isinstance(reference, str) else None
        if isinstance(target, dict) and isinstance(target.get("resourceType"), str):
            from fhirpathpy.engine.nodes import ResourceNode

            # typed by its resourceType, or fhirpathpy's ofType() cannot tell what it is
            found.append(ResourceNode.create_node(target, target["resourceType"]))
    return found


def _silent(label: str, value: Any) -> None:
    """trace(): fhirpathpy prints to stdout by default, which would corrupt the JSON output
    of ``fhir-regie validate --format json``; a validator has no one to trace to."""


def _has_value(inputs: Items) -> Items:
    """FHIRPath hasValue() (R4: a single primitive with a value), which fhirpathpy 2.2 lacks:
    without it ele-1 and per-1 cannot be evaluated by the reference at all."""
    return [len(inputs) == 1 and isinstance(inputs[0], str | int | float | bool | Decimal)]


_REFERENCE_ADDITIONS = {"hasValue": {"fn": _has_value}, "resolve": {"fn": _resolve}}


@cache
def reference_evaluator(expression: str, base: str | None = None) -> Evaluator:
    """fhirpathpy on the expression, the node typed as ``base`` when given (so that choice
    elements such as an Extension's ``value`` resolve)."""
    from fhirpathpy import compile as compile_fhirpath
    from fhirpathpy.engine.nodes import ResourceNode
    from fhirpathpy.models import models

    # trace() (ref-1 uses it) would print to standard output without a callback of its own,
    # which corrupts the output of every command that validates.
    compiled = compile_fhirpath(expression, models["r4"],
                                options={"userInvocationTable": _REFERENCE_ADDITIONS,
                                         "traceFn": _silent})

    def evaluate(node: Any, resource: Any, resolver: Resolver | None = None) -> Items:
        typed = ResourceNode.create_node(node, base) if base else node
        context = {"resource": resource, "rootResource": resource} \
            if resource is not None else {}
        token = _RESOLVER.set(resolver)
        try:
            return list(compiled(typed, context))
        finally:
            _RESOLVER.reset(token)
    return evaluate


@cache
def compile_expression(expression: str, base: str | None = None) -> Evaluator:
    """An evaluator ``(node, resource, resolver=None) -> collection`` answering as fhirpathpy
    does.

    ``resource`` is what ``%resource`` means (the resource the node sits in); ``resolver``
    is what ``resolve()`` reaches (a reference string -> the resource, or None), without it
    nothing. Exceptions of fhirpathpy (an expression it cannot evaluate on this input)
    propagate as they are.

    Example::

        >>> ctm_1 = compile_expression("onBehalfOf.exists() implies (member.resolve()"
        ...                            ".iif(empty(), true, ofType(Practitioner).exists()))")
        >>> participant = {"member": {"reference": "#oma"}, "onBehalfOf": {"reference": "x"}}
        >>> ctm_1(participant, None)
        [True]
        >>> ctm_1(participant, None, {"#oma": {"resourceType": "RelatedPerson"}}.get)
        [False]
    """
    native = NATIVE.get(expression)
    try:
        compiled = None if native else _Parser(tokenize(expression)).parse()
    except (Unsupported, ValueError, IndexError):
        compiled = None
    if native is None and compiled is None:
        return reference_evaluator(expression, base)

    def evaluate(node: Any, resource: Any, resolver: Resolver | None = None) -> Items:
        try:
            if native is not None:
                return native(node, resource)
            return compiled([node], Context(resource, node, resolver))  # type: ignore[misc]
        except (Fallback, TypeError, ArithmeticError, RecursionError):
            # Fallback: a case the compiled form leaves to fhirpathpy. The others (say a
            # decimal literal plus a JSON float) are cases it did not foresee: same answer.
            return reference_evaluator(expression, base)(node, resource, resolver)
    return evaluate


def is_compiled(expression: str) -> bool:
    """Whether the expression has a compiled (or native) form (not only fhirpathpy)."""
    if expression in NATIVE:
        return True
    try:
        _Parser(tokenize(expression)).parse()
    except (Unsupported, ValueError, IndexError):
        return False
    return True
