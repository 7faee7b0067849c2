import { RateLimitHeaders } from "../Api/Security.js"
import { bodyDefaults, queryDefaults, type DefaultValue } from "./openApiDefaults.js"
import {
  fieldSource,
  operationSources,
  schemaSources,
  SourceExtension,
  type Source
} from "./openApiSources.js"

/** A JSON value of the document being rewritten (mutable: each rewrite works on its own copy). */
export type Json = null | boolean | number | string | Array<Json> | JsonObject
/** A JSON object of the document being rewritten. */
export interface JsonObject {
  [key: string]: Json
}

/** One operation of the document with where it lives. */
export interface Operation {
  readonly path: string
  readonly method: string
  readonly op: JsonObject
}

const schemaRef = "#/components/schemas/"
const methods = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"])

/** The value as an object, or undefined. */
export const asObject = (value: Json | undefined): JsonObject | undefined =>
  value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value)
    ? value
    : undefined

const child = (node: JsonObject, key: string): JsonObject => {
  const found = asObject(node[key])
  if (found !== undefined) return found
  const created: JsonObject = {}
  node[key] = created
  return created
}

/** Every operation of the document, in document order. */
export const operationsOf = (doc: JsonObject): ReadonlyArray<Operation> =>
  Object.entries(asObject(doc["paths"]) ?? {}).flatMap(([path, item]) =>
    Object.entries(asObject(item) ?? {}).flatMap(([method, op]) => {
      const operation = asObject(op)
      return methods.has(method) && operation !== undefined ? [{ path, method, op: operation }] : []
    })
  )

/** The component schemas of the document. */
export const schemasOf = (doc: JsonObject): JsonObject => child(child(doc, "components"), "schemas")

const mapTree = (node: Json, f: (obj: JsonObject) => JsonObject): Json => {
  if (Array.isArray(node)) return node.map((n) => mapTree(n, f))
  const obj = asObject(node)
  if (obj === undefined) return node
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(obj)) out[k] = mapTree(v, f)
  return f(out)
}

const componentRefs = (node: Json, into: Set<string>): Set<string> => {
  mapTree(node, (obj) => {
    const ref = obj["$ref"]
    if (typeof ref === "string" && ref.startsWith(schemaRef)) into.add(ref.slice(schemaRef.length))
    return obj
  })
  return into
}

const closure = (roots: ReadonlyArray<Json>, schemas: JsonObject): Set<string> => {
  const seen = new Set<string>()
  const pending = [...roots.reduce((acc, r) => componentRefs(r, acc), new Set<string>())]
  while (pending.length > 0) {
    const name = pending.pop() as string
    if (seen.has(name)) continue
    seen.add(name)
    for (const next of componentRefs(schemas[name] ?? null, new Set())) pending.push(next)
  }
  return seen
}

const contentSchemas = (holder: JsonObject | undefined): Array<JsonObject> =>
  Object.values(asObject(holder?.["content"]) ?? {}).flatMap((media) => {
    const m = asObject(media)
    return m === undefined || !("schema" in m) ? [] : [m]
  })

const requestHolders = (doc: JsonObject): Array<JsonObject> =>
  operationsOf(doc).flatMap(({ op }) => [
    ...contentSchemas(asObject(op["requestBody"])),
    ...(Array.isArray(op["parameters"]) ? op["parameters"] : []).flatMap((p) => {
      const param = asObject(p)
      return param === undefined || !("schema" in param) ? [] : [param]
    })
  ])

const responseHolders = (doc: JsonObject): Array<JsonObject> =>
  operationsOf(doc).flatMap(({ op }) =>
    Object.values(asObject(op["responses"]) ?? {}).flatMap((r) => contentSchemas(asObject(r)))
  )

/** `$id` inside an OpenAPI document moves the base of every `$ref` below it (and Effect repeats `/schemas/unknown`). */
export const dropSchemaIds = (doc: JsonObject): JsonObject =>
  mapTree(doc, (obj) => {
    if (typeof obj["$id"] === "string") delete obj["$id"]
    return obj
  }) as JsonObject

/** Every operation needs the key; the generator writes `security: []` (no key) on each operation. */
export const requireKey = (doc: JsonObject): void => {
  const schemes = Object.keys(asObject(asObject(doc["components"])?.["securitySchemes"]) ?? {})
  for (const { op } of operationsOf(doc)) op["security"] = schemes.map((name) => ({ [name]: [] }))
}

const isStrict = (obj: JsonObject): boolean =>
  obj["additionalProperties"] === false || obj["unevaluatedProperties"] === false

const containsStrict = (node: Json): boolean => {
  let found = false
  mapTree(node, (obj) => {
    found ||= isStrict(obj)
    return obj
  })
  return found
}

const freeName = (schemas: JsonObject, base: string): string => {
  let name = `${base}Input`
  for (let i = 2; name in schemas; i++) name = `${base}Input${i}`
  return name
}

/**
 * Responses tolerate unknown fields (the real API may add some), requests refuse them; a component used by
 * both is split, the requests getting a strict `...Input` copy.
 */
export const openResponses = (doc: JsonObject): void => {
  const schemas = schemasOf(doc)
  const requestSide = closure(requestHolders(doc), schemas)
  const responseSide = closure(responseHolders(doc), schemas)
  const shared = [...requestSide].filter(
    (name) =>
      responseSide.has(name) &&
      [name, ...closure([schemas[name] ?? null], schemas)].some((n) => containsStrict(schemas[n] ?? null))
  )
  const renamed = new Map(shared.map((name) => [name, freeName(schemas, name)]))
  const toInput = (node: Json): Json =>
    mapTree(node, (obj) => {
      const ref = obj["$ref"]
      if (typeof ref !== "string" || !ref.startsWith(schemaRef)) return obj
      const input = renamed.get(ref.slice(schemaRef.length))
      return input === undefined ? obj : { ...obj, $ref: `${schemaRef}${input}` }
    })
  for (const [name, input] of renamed) schemas[input] = toInput(schemas[name] ?? null)
  for (const name of requestSide) {
    if (!responseSide.has(name)) schemas[name] = toInput(schemas[name] ?? null)
  }
  for (const holder of requestHolders(doc)) holder["schema"] = toInput(holder["schema"] ?? null)

  const open = (node: Json): Json =>
    mapTree(node, (obj) => {
      if (obj["additionalProperties"] === false) delete obj["additionalProperties"]
      if (obj["unevaluatedProperties"] === false) delete obj["unevaluatedProperties"]
      return obj
    })
  for (const name of closure(responseHolders(doc), schemas)) schemas[name] = open(schemas[name] ?? null)
  for (const holder of responseHolders(doc)) holder["schema"] = open(holder["schema"] ?? null)
}

const withDefault = (schema: Json | undefined, value: DefaultValue): JsonObject => ({
  ...(asObject(schema) ?? {}),
  default: typeof value === "object" ? [...value] : value
})

/** The defaults the API applies to what a request leaves out. */
export const documentDefaults = (doc: JsonObject): void => {
  for (const { op } of operationsOf(doc)) {
    for (const p of Array.isArray(op["parameters"]) ? op["parameters"] : []) {
      const param = asObject(p)
      const name = param?.["name"]
      if (param === undefined || param["in"] !== "query" || typeof name !== "string") continue
      const value = queryDefaults[name]
      if (value !== undefined) param["schema"] = withDefault(param["schema"], value)
    }
  }
  const schemas = schemasOf(doc)
  for (const [name, fields] of Object.entries(bodyDefaults)) {
    const properties = asObject(asObject(schemas[name])?.["properties"])
    if (properties === undefined) continue
    for (const [field, value] of Object.entries(fields)) {
      if (field in properties) properties[field] = withDefault(properties[field], value)
    }
  }
}

const successStatus = (responses: JsonObject): string | undefined =>
  Object.keys(responses).find((status) => status.startsWith("2"))

const mark = (node: JsonObject | undefined, source: Source): void => {
  if (node !== undefined) node[SourceExtension] = source
}

/** Marks every operation, its success response, every model and every field as `documented` or `decided`. */
export const markSources = (doc: JsonObject): void => {
  for (const { op } of operationsOf(doc)) {
    const id = op["operationId"]
    const source = typeof id === "string" ? operationSources[id] : undefined
    if (source === undefined) continue
    mark(op, source.operation)
    const responses = asObject(op["responses"]) ?? {}
    const success = successStatus(responses)
    if (success !== undefined) mark(asObject(responses[success]), source.response ?? source.operation)
  }
  const schemas = schemasOf(doc)
  for (const [name, source] of Object.entries(schemaSources)) {
    const schema = asObject(schemas[name])
    if (schema === undefined) continue
    mark(schema, source.model)
    for (const [field, property] of Object.entries(asObject(schema["properties"]) ?? {})) {
      mark(asObject(property), fieldSource(source, field))
    }
  }
}

const headerComponents: JsonObject = {
  "X-RateLimit-Limit": {
    description: "Requests allowed per window for the partner account (all its keys share it).",
    schema: { type: "integer", minimum: 0 },
    [SourceExtension]: "documented"
  },
  "X-RateLimit-Remaining": {
    description: "Requests left in the current window.",
    schema: { type: "integer", minimum: 0 },
    [SourceExtension]: "documented"
  },
  "X-RateLimit-Reset": {
    description: "Unix time in seconds when the current window resets.",
    schema: { type: "integer", minimum: 0 },
    [SourceExtension]: "documented"
  },
  "Retry-After": {
    description: "Whole seconds to wait before retrying.",
    required: true,
    schema: { type: "integer", minimum: 0 },
    [SourceExtension]: "decided"
  }
}

const headerRefs = (required: boolean): JsonObject =>
  Object.fromEntries(
    RateLimitHeaders.map((name) => [
      name,
      required
        ? { $ref: `#/components/headers/${name}` }
        : { ...(asObject(headerComponents[name]) ?? {}), required: false }
    ])
  )

const wireErrorContent: JsonObject = {
  "application/json": { schema: { $ref: `${schemaRef}WireError` } }
}

// Answered by a gateway in front of the API as often as by the API itself, so the rate-limit headers may be absent.
const gatewayResponses: ReadonlyArray<readonly [string, string, string]> = [
  [
    "502",
    "BadGateway",
    "A gateway in front of the API could not reach it; the request may or may not have been applied."
  ],
  [
    "503",
    "ServiceUnavailable",
    "The API (or a gateway in front of it) is temporarily unavailable; retry later."
  ],
  [
    "504",
    "GatewayTimeout",
    "A gateway in front of the API timed out; the request may or may not have been applied."
  ]
]

/** Rate-limit headers on every response, `Retry-After` on 429, and the 502/503/504 a client must expect. */
export const declareTransportResponses = (doc: JsonObject): void => {
  const components = child(doc, "components")
  const headers = child(components, "headers")
  for (const [name, header] of Object.entries(headerComponents)) {
    headers[name] = name === "Retry-After" ? header : { ...(asObject(header) ?? {}), required: true }
  }
  const responses = child(components, "responses")
  for (const [, name, description] of gatewayResponses) {
    responses[name] = {
      description,
      headers: headerRefs(false),
      content: wireErrorContent,
      [SourceExtension]: "decided"
    }
  }
  for (const { op } of operationsOf(doc)) {
    const opResponses = child(op, "responses")
    // Replaces any 502/503/504 the contract declares itself: whoever answers them, the headers may be missing.
    for (const [status, name] of gatewayResponses)
      opResponses[status] = { $ref: `#/components/responses/${name}` }
    for (const [status, response] of Object.entries(opResponses)) {
      const r = asObject(response)
      if (r === undefined || "$ref" in r) continue
      const { description, ...rest } = r
      opResponses[status] = {
        description: description ?? status,
        headers: {
          ...headerRefs(true),
          ...(status === "429" ? { "Retry-After": { $ref: "#/components/headers/Retry-After" } } : {}),
          ...(asObject(r["headers"]) ?? {})
        },
        ...rest
      }
    }
  }
}
