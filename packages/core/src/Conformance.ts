import { HttpApi, HttpApiSchema } from "@effect/platform"
import { Context, Option, SchemaAST as AST } from "effect"
import { Api } from "./Api.js"
import { decidedWrapperKey } from "./Api/Endpoint.js"
import { RateLimitHeaders, RequiredScope } from "./Api/Security.js"
import type { Scope } from "./Domain/ApiKey.js"
import { strictForm } from "./Domain/Common.js"
import { is2xx } from "./internal/call.js"
import type { ApiClient } from "./internal/caller.js"

/** A response as it came off the wire. */
export interface ObservedResponse {
  readonly status: number
  /** Header names in any case. */
  readonly headers: Readonly<Record<string, string>>
  /** The raw body text. */
  readonly body: string
}

/** What kind of promise of the contract a response breaks. */
export type DifferenceKind =
  /** a status the endpoint does not declare */
  | "status"
  /** a missing or malformed header */
  | "header"
  /** no body, or not JSON, where JSON is declared (or a body where none is) */
  | "body"
  /** a [decided] wrapper left out */
  | "wrapper"
  /** a field the contract does not know */
  | "unknownField"
  /** a required field left out */
  | "missingField"
  /** a value outside an enum's known values */
  | "unknownValue"
  /** a value of another JSON type */
  | "type"
  /** a value of the right type that breaks a rule (an empty id, a fraction for an integer) */
  | "value"

/** One way a response differs from the contract read strictly; values are never quoted beyond enum values. */
export interface Difference {
  readonly kind: DifferenceKind
  /** Where in the body (empty for the status, headers and the body as a whole). */
  readonly path: ReadonlyArray<string | number>
  readonly expected: string
  readonly found: string
}

/** An endpoint of the contract, as the conformance checker reads it. */
export interface ContractEndpoint {
  readonly group: string
  readonly name: string
  readonly method: string
  /** The path template below `/api/v1`, e.g. `/partner/organizations/:organizationId`. */
  readonly path: string
  readonly scope: Scope | undefined
  /** The declared success statuses (usually one). */
  readonly successStatuses: ReadonlyArray<number>
  /** Every declared status, errors included. */
  readonly statuses: ReadonlyArray<number>
  /** Every way `response` differs from what the contract promises for this endpoint. */
  readonly check: (response: ObservedResponse) => ReadonlyArray<Difference>
}

type Path = ReadonlyArray<string | number>

const isObject = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const jsonType = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "an array"
      : typeof value === "object"
        ? "an object"
        : typeof value === "number"
          ? `the number ${value}`
          : typeof value === "string"
            ? "a string"
            : typeof value === "boolean"
              ? "a boolean"
              : typeof value

const quoted = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s)

// The shape a node describes, in words (for "expected").
const shape = (ast: AST.AST): string => {
  const strict = strictForm(ast)
  if (strict !== undefined) return shape(strict)
  switch (ast._tag) {
    case "StringKeyword":
      return "a string"
    case "NumberKeyword":
      return "a number"
    case "BooleanKeyword":
      return "a boolean"
    case "Literal":
      return ast.literal === null ? "null" : JSON.stringify(ast.literal)
    case "TypeLiteral":
      return "an object"
    case "TupleType":
      return "an array"
    case "Union":
      return [...new Set(ast.types.map(shape))].join(" or ")
    case "Refinement":
      return Option.getOrElse(AST.getDescriptionAnnotation(ast), () => shape(ast.from))
    case "Transformation":
      return shape(ast.from)
    case "Suspend":
      return shape(ast.f())
    default:
      return "any value"
  }
}

// Whether a value is of the JSON kind a node describes at all (used to pick the union member to report).
const sameKind = (ast: AST.AST, value: unknown): boolean => {
  const strict = strictForm(ast)
  if (strict !== undefined) return sameKind(strict, value)
  switch (ast._tag) {
    case "TypeLiteral":
      return isObject(value)
    case "TupleType":
      return Array.isArray(value)
    case "Literal":
      return ast.literal === null ? value === null : typeof value === typeof ast.literal
    case "StringKeyword":
      return typeof value === "string"
    case "NumberKeyword":
      return typeof value === "number"
    case "BooleanKeyword":
      return typeof value === "boolean"
    case "Refinement":
    case "Transformation":
      return sameKind(ast.from, value)
    case "Union":
      return ast.types.some((t) => sameKind(t, value))
    default:
      return true
  }
}

const isUnchanged = (ast: AST.AST): boolean => AST.encodedAST(ast) === AST.typeAST(ast)

// Walks the encoded (wire) side of a schema, reading open enums and other tolerant nodes in their strict form.
const walk = (ast: AST.AST, value: unknown, path: Path, out: Array<Difference>): void => {
  const strict = strictForm(ast)
  if (strict !== undefined) return walk(strict, value, path, out)
  const mismatch = (): void => {
    out.push({ kind: "type", path, expected: shape(ast), found: jsonType(value) })
  }
  switch (ast._tag) {
    case "StringKeyword":
      if (typeof value !== "string") mismatch()
      return
    case "NumberKeyword":
      if (typeof value !== "number") mismatch()
      return
    case "BooleanKeyword":
      if (typeof value !== "boolean") mismatch()
      return
    case "Literal":
      if (value !== ast.literal) mismatch()
      return
    case "Transformation":
      return walk(ast.from, value, path, out)
    case "Suspend":
      return walk(ast.f(), value, path, out)
    case "Refinement": {
      const before = out.length
      walk(ast.from, value, path, out)
      if (out.length === before && isUnchanged(ast.from) && Option.isSome(ast.filter(value, {}, ast))) {
        out.push({ kind: "value", path, expected: shape(ast), found: jsonType(value) })
      }
      return
    }
    case "TupleType": {
      if (!Array.isArray(value)) return mismatch()
      ast.elements.forEach((element, i) => {
        if (i < value.length) walk(element.type, value[i], [...path, i], out)
        else if (!element.isOptional)
          out.push({
            kind: "missingField",
            path: [...path, i],
            expected: shape(element.type),
            found: "nothing"
          })
      })
      const rest = ast.rest[0]
      if (rest !== undefined) {
        for (let i = ast.elements.length; i < value.length; i++) walk(rest.type, value[i], [...path, i], out)
      } else if (value.length > ast.elements.length) {
        out.push({
          kind: "type",
          path,
          expected: `${ast.elements.length} items`,
          found: `${value.length} items`
        })
      }
      return
    }
    case "TypeLiteral": {
      if (!isObject(value)) return mismatch()
      const known = new Set<PropertyKey>()
      for (const property of ast.propertySignatures) {
        known.add(property.name)
        const key = String(property.name)
        if (Object.prototype.hasOwnProperty.call(value, key))
          walk(property.type, value[key], [...path, key], out)
        else if (!property.isOptional) {
          out.push({
            kind: "missingField",
            path: [...path, key],
            expected: shape(property.type),
            found: "nothing"
          })
        }
      }
      for (const key of Object.keys(value)) {
        if (known.has(key)) continue
        const index = ast.indexSignatures[0]
        if (index === undefined)
          out.push({
            kind: "unknownField",
            path: [...path, key],
            expected: "no such field",
            found: jsonType(value[key])
          })
        else walk(index.type, value[key], [...path, key], out)
      }
      return
    }
    case "Union": {
      const literals = ast.types.filter(AST.isLiteral)
      if (literals.length === ast.types.length && literals.every((l) => typeof l.literal === "string")) {
        if (!literals.some((l) => l.literal === value)) {
          if (typeof value === "string") {
            out.push({
              kind: "unknownValue",
              path,
              expected: `one of ${literals.map((l) => String(l.literal)).join(", ")}`,
              found: quoted(value)
            })
          } else mismatch()
        }
        return
      }
      let best: Array<Difference> | undefined
      for (const member of ast.types) {
        const attempt: Array<Difference> = []
        walk(member, value, path, attempt)
        if (attempt.length === 0) return
        if (sameKind(member, value) && (best === undefined || attempt.length < best.length)) best = attempt
      }
      if (best === undefined) mismatch()
      else out.push(...best)
      return
    }
    case "UndefinedKeyword":
    case "VoidKeyword":
      if (value !== undefined) mismatch()
      return
    case "NeverKeyword":
      return mismatch()
    default:
      return
  }
}

const checkHeaders = (response: ObservedResponse, out: Array<Difference>) => {
  const headers = new Map(Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), v]))
  const required: ReadonlyArray<string> =
    response.status === 429 ? [...RateLimitHeaders, "Retry-After"] : RateLimitHeaders
  for (const name of required) {
    const value = headers.get(name.toLowerCase())
    if (value === undefined)
      out.push({ kind: "header", path: [name], expected: "a whole number", found: "missing" })
    else if (!/^\d+$/.test(value.trim())) {
      out.push({ kind: "header", path: [name], expected: "a whole number", found: quoted(value) })
    }
  }
}

const checkBody = (schema: Option.Option<AST.AST>, body: string, out: Array<Difference>) => {
  if (Option.isNone(schema)) {
    if (body.trim() !== "")
      out.push({ kind: "body", path: [], expected: "no body", found: `${body.length} characters` })
    return
  }
  if (body.trim() === "")
    return void out.push({ kind: "body", path: [], expected: "a JSON body", found: "an empty body" })
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return void out.push({ kind: "body", path: [], expected: "a JSON body", found: "text that is not JSON" })
  }
  const key = decidedWrapperKey(schema.value)
  if (key !== undefined && !(isObject(json) && key in json)) {
    out.push({
      kind: "wrapper",
      path: [],
      expected: `the body wrapped as {"${key}": …}`,
      found: `${jsonType(json)} without "${key}"`
    })
    return walk(schema.value, { [key]: json }, [], out)
  }
  walk(schema.value, json, [], out)
}

type Schemas = ReadonlyMap<number, { readonly ast: Option.Option<AST.AST> }>

const makeCheck =
  (successes: Schemas, errors: Schemas) =>
  (response: ObservedResponse): ReadonlyArray<Difference> => {
    const out: Array<Difference> = []
    const { status } = response
    const declared = successes.get(status) ?? errors.get(status)
    if (declared === undefined) {
      const statuses = [...successes.keys()]
      out.push({
        kind: "status",
        path: [],
        expected: is2xx(status)
          ? statuses.join(" or ")
          : `one of ${[...statuses, ...errors.keys()].sort().join(", ")}`,
        found: String(status)
      })
    }
    checkHeaders(response, out)
    const schema = declared ?? (is2xx(status) ? successes.get(Math.min(...successes.keys())) : undefined)
    if (schema !== undefined) checkBody(schema.ast, response.body, out)
    return out
  }

const all: Array<ContractEndpoint> = []
HttpApi.reflect(Api, {
  onGroup() {},
  onEndpoint({ group, endpoint, mergedAnnotations, middleware, successes, errors }) {
    const withAuth = new Map(errors)
    for (const m of middleware) {
      if (m.failure !== undefined)
        withAuth.set(HttpApiSchema.getStatusErrorAST(m.failure.ast), {
          ast: Option.some(m.failure.ast),
          description: Option.none()
        })
    }
    all.push({
      group: group.identifier,
      name: endpoint.name,
      method: endpoint.method,
      path: endpoint.path,
      scope: Option.getOrUndefined(
        Context.getOption(mergedAnnotations as Context.Context<RequiredScope>, RequiredScope)
      ),
      successStatuses: [...successes.keys()],
      statuses: [...successes.keys(), ...withAuth.keys()].sort(),
      check: makeCheck(successes, withAuth)
    })
  }
})

/** Every endpoint of the contract, in the contract's order. */
export const endpoints: ReadonlyArray<ContractEndpoint> = all

/**
 * Every way a real response of one endpoint differs from the contract read strictly: undeclared status,
 * rate-limit headers (and `Retry-After` on 429), [decided] wrappers, closed enums, no unknown fields.
 */
export const check = <G extends keyof ApiClient & string>(
  group: G,
  endpoint: keyof ApiClient[G] & string,
  response: ObservedResponse
): ReadonlyArray<Difference> => {
  const found = all.find((e) => e.group === group && e.name === endpoint)
  if (found === undefined) throw new Error(`No endpoint ${group}.${endpoint} in the contract`)
  return found.check(response)
}

/** One line for a difference, e.g. `organizations[0].status: expected one of active, …, found "disabled"`. */
export const describe = (difference: Difference): string => {
  const where = difference.path.reduce<string>(
    (text, p) => (typeof p === "number" ? `${text}[${p}]` : text === "" ? p : `${text}.${p}`),
    ""
  )
  const subject =
    difference.kind === "status"
      ? "status"
      : difference.kind === "header"
        ? `header ${where}`
        : where === ""
          ? "body"
          : where
  const what =
    difference.kind === "unknownField"
      ? "unknown field"
      : difference.kind === "unknownValue"
        ? "unknown value"
        : difference.kind === "missingField"
          ? "missing field"
          : undefined
  return `${subject}: ${what === undefined ? "" : `${what}, `}expected ${difference.expected}, found ${difference.found}`
}
