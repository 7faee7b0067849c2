import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js"
import addFormats from "ajv-formats"
import { execFile } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"
import { bodyDefaults, queryDefaults } from "../src/internal/openApiDefaults.js"
import { operationSources, schemaSources, SourceExtension } from "../src/internal/openApiSources.js"
import { openApiJson } from "../src/OpenApiDocument.js"

type Json = null | boolean | number | string | Array<Json> | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

interface Operation {
  readonly id: string
  readonly path: string
  readonly method: string
  readonly op: JsonObject
}

const packageDir = fileURLToPath(new URL("..", import.meta.url))
const documentFile = join(packageDir, "openapi.json")
const doc = JSON.parse(openApiJson()) as JsonObject
const examplesDir = new URL("./fixtures/partner-api/examples/", import.meta.url)
const readExample = (file: string): Json =>
  JSON.parse(readFileSync(new URL(file, examplesDir), "utf8")) as Json

const obj = (value: Json | undefined): JsonObject =>
  value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value) ? value : {}

const operations: ReadonlyArray<Operation> = Object.entries(obj(doc["paths"])).flatMap(([path, item]) =>
  Object.entries(obj(item)).map(([method, op]) => ({
    id: String(obj(op)["operationId"]),
    path,
    method,
    op: obj(op)
  }))
)
const operation = (id: string): Operation => {
  const found = operations.find((o) => o.id === id)
  if (found === undefined) throw new Error(`No operation ${id}`)
  return found
}
const schemas = obj(obj(doc["components"])["schemas"])

/** Follows a local `$ref` (`#/components/...`) to what it names. */
const deref = (node: Json | undefined): JsonObject => {
  const ref = obj(node)["$ref"]
  if (typeof ref !== "string") return obj(node)
  return deref(
    ref
      .slice(2)
      .split("/")
      .reduce<Json>((n, key) => obj(n)[key.replace(/~1/g, "/").replace(/~0/g, "~")] ?? null, doc)
  )
}

const pointer = (...keys: ReadonlyArray<string>): string =>
  `#/${keys.map((k) => k.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`

const jsonContent = "application/json"
const requestPointer = (o: Operation) =>
  pointer("paths", o.path, o.method, "requestBody", "content", jsonContent, "schema")
const responsePointer = (o: Operation, status: string) => {
  const response = obj(obj(o.op["responses"])[status])
  const ref = response["$ref"]
  return typeof ref === "string"
    ? `${ref}/content/${jsonContent.replace(/\//g, "~1")}/schema`
    : pointer("paths", o.path, o.method, "responses", status, "content", jsonContent, "schema")
}

const documentId = "https://bullseye-partner.invalid/openapi.json"
// Strict (unknown keywords and formats are errors), except that a refinement such as `minimum` may sit beside
// the `$ref` to its integer type instead of repeating `type`, as the generator writes it.
// Built on first use, so that a document Ajv refuses (a duplicate `$id`) fails the tests that use it.
let ajv: Ajv2020 | undefined
const compiler = (): Ajv2020 => {
  if (ajv !== undefined) return ajv
  const created = new Ajv2020({ strict: true, strictTypes: false, allErrors: true })
  addFormats.default(created)
  created.addKeyword(SourceExtension)
  // The document itself is the root the schemas' `$ref`s point into; its own fields are not schema keywords.
  created.addVocabulary(Object.keys(doc))
  created.addSchema(doc, documentId)
  ajv = created
  return created
}
const validators = new Map<string, ValidateFunction>()
const validator = (at: string): ValidateFunction => {
  let found = validators.get(at)
  if (found === undefined) {
    found = compiler().compile({ $ref: `${documentId}${at}` })
    validators.set(at, found)
  }
  return found
}
const errorsOf = (at: string, value: Json) => {
  const validate = validator(at)
  return validate(value) ? [] : (validate.errors ?? [])
}

/** Every object node of a JSON value, with its path. */
const objectsIn = (value: Json, path: string = ""): Array<readonly [string, JsonObject]> => {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectsIn(v, `${path}/${i}`))
  if (value === null || typeof value !== "object") return []
  return [[path, value], ...Object.entries(value).flatMap(([k, v]) => objectsIn(v, `${path}/${k}`))]
}

/** Every schema object reachable from a node (following `$ref`s once each), with where it was found. */
const reachableSchemas = (root: Json, seen = new Set<string>()): Array<JsonObject> =>
  objectsIn(root).flatMap(([, node]) => {
    const ref = node["$ref"]
    if (typeof ref !== "string" || seen.has(ref)) return [node]
    seen.add(ref)
    return [node, ...reachableSchemas(deref(node), seen)]
  })

const successStatus = (o: Operation): string =>
  Object.keys(obj(o.op["responses"])).find((s) => s.startsWith("2")) ?? "none"

describe("openapi.json checked by third-party tools", () => {
  it("Redocly lint (recommended rules, redocly.yaml) finds no problem", async () => {
    const cli = join(
      dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")),
      "bin",
      "cli.js"
    )
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, "lint", documentFile, "--config", join(packageDir, "redocly.yaml"), "--format", "json"],
      {
        cwd: packageDir,
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" }
      }
    )
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: unknown[] }
    expect(report.problems).toEqual([])
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 })
  })

  it("Ajv (JSON Schema 2020-12, strict) compiles every schema of the document", () => {
    const inline = operations.flatMap((o) => [
      ...(o.op["requestBody"] === undefined ? [] : [requestPointer(o)]),
      ...Object.entries(obj(o.op["responses"]))
        .filter(([, response]) => obj(deref(response)["content"])[jsonContent] !== undefined)
        .map(([status]) => responsePointer(o, status))
    ])
    const all = [...Object.keys(schemas).map((name) => pointer("components", "schemas", name)), ...inline]
    for (const at of all) expect(() => validator(at), at).not.toThrow()
    expect(JSON.stringify(doc)).not.toContain('"$id"')
  })
})

// Each vendor example with where it belongs: an operation's request body or its success response.
const examples: Record<string, { readonly op: string; readonly part: "request" | "response" | "401" }> = {
  "analytics.get.response.json": { op: "analytics.get", part: "response" },
  "apiKeys.create.request.json": { op: "apiKeys.create", part: "request" },
  "apiKeys.create.response.json": { op: "apiKeys.create", part: "response" },
  "apiKeys.list.response.json": { op: "apiKeys.list", part: "response" },
  "billing.get.response.json": { op: "billing.get", part: "response" },
  "branding.update.request.json": { op: "branding.update", part: "request" },
  "branding.update.response.json": { op: "branding.update", part: "response" },
  "credits.allocate.request.json": { op: "organizations.allocateCredits", part: "request" },
  "credits.allocate.response.json": { op: "organizations.allocateCredits", part: "response" },
  "domain.set.request.json": { op: "domains.set", part: "request" },
  "domain.set.response.json": { op: "domains.set", part: "response" },
  "error.unauthorized.response.json": { op: "partner.me", part: "401" },
  "icpConfig.rules.json": { op: "icpConfigs.create", part: "request" },
  "organizations.create.guide.request.json": { op: "organizations.create", part: "request" },
  "organizations.create.request.json": { op: "organizations.create", part: "request" },
  "organizations.list.response.json": { op: "organizations.list", part: "response" },
  "partner.me.response.json": { op: "partner.me", part: "response" },
  "webhooks.billing.update.request.json": { op: "webhooks.updateBilling", part: "request" },
  "webhooks.billing.update.response.json": { op: "webhooks.updateBilling", part: "response" },
  "webhooks.get.response.json": { op: "webhooks.get", part: "response" },
  "webhooks.identification.update.request.json": { op: "webhooks.updateIdentification", part: "request" },
  "webhooks.identification.update.response.json": { op: "webhooks.updateIdentification", part: "response" }
}

// The rules example is the `rules` of an ICP config, not a whole body.
const bodyOf = (file: string): Json =>
  file === "icpConfig.rules.json" ? { name: "Example", rules: readExample(file) } : readExample(file)

const schemaAt = (file: string): string => {
  const { op, part } = examples[file] ?? { op: "", part: "request" }
  const o = operation(op)
  return part === "request"
    ? requestPointer(o)
    : responsePointer(o, part === "401" ? "401" : successStatus(o))
}

describe("the vendor examples validate against the document (Ajv 2020)", () => {
  it("every example file is placed here", () => {
    expect(readdirSync(examplesDir).sort()).toEqual(Object.keys(examples).sort())
  })

  for (const file of Object.keys(examples)) {
    it(`${file}`, () => {
      expect(errorsOf(schemaAt(file), bodyOf(file))).toEqual([])
    })
  }

  it("responses accept a new field on every object (the partner.me example plus one field included)", () => {
    const me = readExample("partner.me.response.json")
    const extended = { ...obj(me), partner: { ...obj(obj(me)["partner"]), loyaltyTier: "gold" } }
    expect(errorsOf(schemaAt("partner.me.response.json"), extended)).toEqual([])
    for (const [file, place] of Object.entries(examples)) {
      if (place.part === "request") continue
      for (const [index, [path]] of objectsIn(readExample(file)).entries()) {
        const body = readExample(file)
        const target = objectsIn(body)[index]?.[1] ?? {}
        target["addedByTheVendorLater"] = 1
        expect(errorsOf(schemaAt(file), body), `${file} at ${path || "/"}`).toEqual([])
      }
    }
  })

  it("requests refuse an unknown field, at the top and inside nested objects", () => {
    for (const [file, place] of Object.entries(examples)) {
      if (place.part !== "request") continue
      expect(errorsOf(schemaAt(file), { ...obj(bodyOf(file)), bonus: 1 }), file).not.toEqual([])
    }
    const rules = obj(readExample("icpConfig.rules.json"))
    const condition = { type: "industry", comparator: "eq", value: "SaaS", weight: 2 }
    const nested = { name: "x", rules: { ...rules, groups: [{ operator: "AND", conditions: [condition] }] } }
    expect(errorsOf(requestPointer(operation("icpConfigs.create")), nested)).not.toEqual([])
  })
})

describe("what the document declares", () => {
  it("every operation requires the X-Partner-API-Key header", () => {
    expect(obj(obj(doc["components"])["securitySchemes"])).toEqual({
      apiKey: { type: "apiKey", name: "X-Partner-API-Key", in: "header" }
    })
    expect(operations.length).toBe(36)
    for (const o of operations) expect(o.op["security"], o.id).toEqual([{ apiKey: [] }])
  })

  it("every response carries the rate-limit headers, a 429 Retry-After, and 502/503/504 are the wire error", () => {
    for (const o of operations) {
      const responses = obj(o.op["responses"])
      for (const status of ["502", "503", "504"]) {
        expect(obj(deref(responses[status])["content"]), `${o.id} ${status}`).toEqual({
          [jsonContent]: { schema: { $ref: "#/components/schemas/WireError" } }
        })
      }
      for (const [status, response] of Object.entries(responses)) {
        const headers = obj(deref(response)["headers"])
        const expected = ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"]
        if (status === "429") expected.push("Retry-After")
        expect(Object.keys(headers).sort(), `${o.id} ${status}`).toEqual(expected.sort())
        for (const name of expected) {
          expect(deref(headers[name])["required"], `${o.id} ${status} ${name}`).toBe(
            !/^50[234]$/.test(status)
          )
          expect(obj(deref(headers[name])["schema"])["type"]).toBe("integer")
        }
      }
    }
  })

  it("nothing a response reaches forbids unknown fields, everything a request body reaches does", () => {
    for (const o of operations) {
      for (const status of Object.keys(obj(o.op["responses"]))) {
        const strict = reachableSchemas(obj(deref(obj(o.op["responses"])[status])["content"])).filter(
          (s) => s["additionalProperties"] === false || s["unevaluatedProperties"] === false
        )
        expect(strict, `${o.id} ${status}`).toEqual([])
      }
      if (o.op["requestBody"] === undefined) continue
      const open = reachableSchemas(obj(o.op["requestBody"])).filter(
        (s) =>
          s["type"] === "object" &&
          s["additionalProperties"] === undefined &&
          s["patternProperties"] === undefined
      )
      expect(open, o.id).toEqual([])
    }
  })

  it("documents the defaults: page 1, pageSize 20, tier trial and the others of the reference", () => {
    const paginated = ["organizations.list", "organizations.listVisitors", "webhooks.logs"]
    for (const id of paginated) {
      const parameters = (operation(id).op["parameters"] as Array<Json>).map(obj)
      const defaultOf = (name: string) =>
        obj(parameters.find((p) => p["name"] === name)?.["schema"])["default"]
      expect([defaultOf("page"), defaultOf("pageSize")], id).toEqual([1, 20])
    }
    expect(queryDefaults).toEqual({ page: 1, pageSize: 20 })
    const create = obj(schemas["OrganizationCreate"])
    expect(obj(obj(create["properties"])["tier"])["default"]).toBe("trial")
    for (const [name, fields] of Object.entries(bodyDefaults)) {
      for (const [field, value] of Object.entries(fields)) {
        expect(obj(obj(obj(schemas[name])["properties"])[field])["default"], `${name}.${field}`).toEqual(
          value
        )
      }
    }
  })

  it("marks every operation and every field of each known model as documented or decided", () => {
    expect(Object.keys(operationSources).sort()).toEqual(operations.map((o) => o.id).sort())
    for (const o of operations) {
      expect(o.op[SourceExtension], o.id).toBe(operationSources[o.id]?.operation)
      expect(obj(obj(o.op["responses"])[successStatus(o)])[SourceExtension], o.id).toBe(
        operationSources[o.id]?.response ?? operationSources[o.id]?.operation
      )
    }
    for (const [name, source] of Object.entries(schemaSources)) {
      const schema = obj(schemas[name])
      expect(schema[SourceExtension], name).toBe(source.model)
      const properties = obj(schema["properties"])
      for (const field of [...(source.decided ?? []), ...(source.documented ?? [])]) {
        expect(Object.keys(properties), `${name}.${field}`).toContain(field)
      }
      for (const [field, property] of Object.entries(properties)) {
        expect(["documented", "decided"], `${name}.${field}`).toContain(obj(property)[SourceExtension])
      }
    }
    expect(obj(obj(schemas["Organization"])["properties"])["creditsUsed"]).toMatchObject({
      [SourceExtension]: "decided"
    })
    expect(obj(obj(schemas["Organization"])["properties"])["credits"]).toMatchObject({
      [SourceExtension]: "documented"
    })
    const objectsWithoutMark = Object.entries(schemas).filter(
      ([, s]) =>
        obj(s)["properties"] !== undefined &&
        (obj(s)[SourceExtension] === undefined ||
          Object.values(obj(obj(s)["properties"])).some((p) => obj(p)[SourceExtension] === undefined))
    )
    expect(objectsWithoutMark.map(([name]) => name)).toEqual([])
  })
})
