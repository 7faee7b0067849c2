import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Redacted } from "effect"
import { spawn } from "node:child_process"
import { createRequire } from "node:module"
import { createServer, type AddressInfo } from "node:net"
import { dirname, join } from "node:path"
import { SandboxTest } from "../src/SandboxTest.js"
import { field, request, type Reply } from "./support/Http.js"

// Stoplight Prism in proxy mode validates every request and response against the document the sandbox
// serves at /openapi.json, and reports what differs in the `sl-violations` header of each response.

const prismBin = join(
  dirname(createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json")),
  "dist",
  "index.js"
)

class PrismProxy extends Context.Tag("test/PrismProxy")<
  PrismProxy,
  { readonly url: string; readonly output: () => string }
>() {}

const freePort = Effect.promise(
  () =>
    new Promise<number>((resolve, reject) => {
      const server = createServer()
      server.once("error", reject)
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        server.close(() => resolve(port))
      })
    })
)

const prismLayer = Layer.scoped(
  PrismProxy,
  Effect.gen(function* () {
    const sandbox = yield* SandboxTest
    const port = yield* freePort
    let output = ""
    const child = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const process_ = spawn(
          process.execPath,
          [
            prismBin,
            "proxy",
            `${sandbox.origin}/openapi.json`,
            sandbox.baseUrl,
            "--port",
            String(port),
            "--host",
            "127.0.0.1",
            "--errors",
            "false"
          ],
          { stdio: ["ignore", "pipe", "pipe"] }
        )
        process_.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
        process_.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
        return process_
      }),
      (process_) =>
        Effect.async<void>((resume) => {
          if (process_.exitCode !== null || process_.signalCode !== null) return resume(Effect.void)
          process_.once("exit", () => resume(Effect.void))
          process_.kill()
        })
    )
    yield* Effect.async<void, Error>((resume) => {
      const ready = () => {
        if (!/Prism is listening/.test(output)) return
        child.stdout.off("data", ready)
        resume(Effect.void)
      }
      child.stdout.on("data", ready)
      child.once("exit", (code) => resume(Effect.fail(new Error(`Prism exited (${code}): ${output}`))))
    }).pipe(Effect.timeoutFail({ duration: "45 seconds", onTimeout: () => new Error(`Prism: ${output}`) }))
    return { url: `http://127.0.0.1:${port}`, output: () => output }
  })
)

interface Violation {
  readonly location: ReadonlyArray<string>
  readonly severity: string
  readonly message: string
}

interface Exchange {
  readonly method: string
  readonly path: string
  readonly status: number
  /** The request breaks the document on purpose (Prism must flag it, the sandbox must refuse it). */
  readonly invalid: boolean
  readonly request: ReadonlyArray<Violation>
  readonly response: ReadonlyArray<Violation>
}

const violationsOf = (reply: Reply): ReadonlyArray<Violation> => {
  const header = reply.headers.get("sl-violations")
  return header === null ? [] : (JSON.parse(header) as ReadonlyArray<Violation>)
}

const rules = {
  groups: [{ operator: "AND", conditions: [{ type: "industry", comparator: "eq", value: "SaaS" }] }]
}

describe("openapi.json: Prism in proxy mode in front of the sandbox", () => {
  layer(Layer.provideMerge(prismLayer, SandboxTest.layer({ settings: { rateLimit: 1_000_000 } })), {
    excludeTestServices: true,
    timeout: 90_000
  })((it) => {
    it.scoped("every operation and the typical refusals conform to the document, errors included", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const prism = yield* PrismProxy
        const key = Redacted.value(sandbox.apiKey)
        const exchanges: Array<Exchange> = []
        const call = (
          method: string,
          path: string,
          options: {
            readonly body?: unknown
            readonly raw?: string
            readonly key?: string | null
            readonly invalid?: boolean
          } = {}
        ) =>
          Effect.map(
            request(prism.url, method, path, {
              key: options.key === null ? undefined : (options.key ?? key),
              body: options.body,
              ...(options.raw === undefined
                ? {}
                : { raw: options.raw, headers: { "content-type": "application/json" } })
            }),
            (reply) => {
              const violations = violationsOf(reply)
              exchanges.push({
                method,
                path,
                status: reply.status,
                invalid: options.invalid === true,
                request: violations.filter((v) => v.location[0] === "request"),
                response: violations.filter((v) => v.location[0] !== "request")
              })
              return reply
            }
          )
        const id = (reply: Reply, ...path: ReadonlyArray<string | number>) =>
          String(field(reply.body, ...path))

        yield* call("GET", "/partner/me")
        yield* call("GET", "/partner/script-config")
        yield* call("GET", "/partner/me", { key: null, invalid: true })
        yield* call("GET", "/partner/me", { key: "pk_test_not_a_key" })

        yield* call("GET", "/partner/api-keys")
        const reader = yield* call("POST", "/partner/api-keys", {
          body: { name: "Reader", scopes: ["read"] }
        })
        const readerKey = id(reader, "plainKey")
        yield* call("POST", "/partner/api-keys", {
          body: { name: "Past", expiresAt: "2001-01-01T00:00:00Z" }
        })
        yield* call("GET", "/partner/api-keys", { key: readerKey })
        yield* call("POST", "/partner/organizations", { key: readerKey, body: { name: "No" } })
        yield* call("DELETE", `/partner/api-keys/${id(reader, "apiKey", "id")}`)
        yield* call("DELETE", "/partner/api-keys/missing")

        const created = yield* call("POST", "/partner/organizations", {
          body: { name: "Acme", externalId: "acme-1", tier: "paid", initialCredits: 600 }
        })
        const org = id(created, "organization", "id")
        yield* call("POST", "/partner/organizations", { body: { name: "Dup", externalId: "acme-1" } })
        yield* call("POST", "/partner/organizations", { body: { name: "T", initialCredits: 501 } })
        yield* call("POST", "/partner/organizations", { body: { name: "Extra", bonus: 1 }, invalid: true })
        yield* call("GET", "/partner/organizations?pageSize=2&status=active")
        yield* call("GET", "/partner/organizations?pageSize=1000", { invalid: true })
        yield* call("GET", `/partner/organizations/${org}`)
        yield* call("GET", "/partner/organizations/missing")
        yield* call("PUT", `/partner/organizations/${org}`, { body: { metadata: { a: 1 } } })
        yield* call("PUT", `/partner/organizations/${org}/status`, { body: { status: "suspended" } })
        yield* call("PUT", `/partner/organizations/${org}/status`, { body: { status: "active" } })
        yield* call("PUT", `/partner/organizations/${org}/tier`, { body: { tier: "trial" } })
        yield* call("PUT", `/partner/organizations/${org}/tier`, { body: { tier: "paid" } })
        yield* call("PUT", `/partner/organizations/${org}/credits`, { body: { credits: 700, notes: "more" } })
        yield* call("PUT", `/partner/organizations/${org}/credits`, { body: { credits: -1 }, invalid: true })
        yield* call("GET", `/partner/organizations/${org}/pixel`)
        yield* call("PUT", `/partner/organizations/${org}/pixel`, { body: { allowedDomains: ["acme.com"] } })
        yield* sandbox.control("POST", "/identifications", {
          partnerId: sandbox.partnerId,
          organizationId: org,
          count: 2
        })
        const visitors = yield* call("GET", `/partner/organizations/${org}/visitors?page=1`)
        yield* call("GET", `/partner/organizations/${org}/visitors/${id(visitors, "visitors", 0, "id")}`)
        yield* call("GET", `/partner/organizations/${org}/visitors/missing`)

        const config = yield* call("POST", `/partner/organizations/${org}/icp-configs`, {
          body: { name: "SaaS", rules }
        })
        const configPath = `/partner/organizations/${org}/icp-configs/${id(config, "icpConfig", "id")}`
        yield* call("GET", `/partner/organizations/${org}/icp-configs`)
        yield* call("GET", configPath)
        yield* call("PUT", configPath, { body: { active: false } })
        yield* call("DELETE", configPath)
        yield* call("GET", configPath)

        yield* call("GET", "/partner/webhooks")
        yield* call("POST", "/partner/webhooks/test", { body: { type: "billing" } })
        yield* call("PUT", "/partner/webhooks/identification", { body: { url: "http://127.0.0.1:9/hook" } })
        yield* call("PUT", "/partner/webhooks/billing", {
          body: { url: "http://127.0.0.1:9/hook", secret: "whsec_contract_1", enabled: true }
        })
        yield* call("POST", "/partner/webhooks/test", { body: { type: "billing" } })
        yield* call("GET", "/partner/webhooks/logs?type=billing")

        yield* call("GET", "/partner/billing")
        yield* call("GET", "/partner/billing/usage")
        yield* call("GET", "/partner/billing/calculate?usage=2000")
        yield* call("GET", "/partner/billing/calculate?usage=-1", { invalid: true })

        yield* call("PUT", "/partner/branding", { body: { companyName: "SDK Inc", primaryColor: "#abcdef" } })
        yield* call("PUT", "/partner/branding", {
          raw: JSON.stringify({ companyName: "x".repeat(1_100_000) }),
          invalid: true
        })

        yield* call("GET", "/partner/domain/verification")
        yield* call("POST", "/partner/domain/verify")
        const setup = yield* call("PUT", "/partner/domain", { body: { domain: "track.contract.dev" } })
        yield* call("GET", "/partner/domain/verification")
        yield* call("POST", "/partner/domain/verify")
        yield* sandbox.control("PUT", "/dns", {
          records: [
            { type: "CNAME", name: "track.contract.dev", value: "track.bullseye.so" },
            {
              type: "TXT",
              name: "_bullseye-verify.track.contract.dev",
              value: id(setup, "verificationRecord")
            }
          ]
        })
        yield* call("POST", "/partner/domain/verify")

        yield* call("GET", "/partner/analytics")
        yield* call("GET", "/partner/usage?startDate=2025-01-01&endDate=2025-01-31")
        yield* call("GET", "/partner/analytics?startDate=2025-02-10&endDate=2025-02-01")

        for (const fault of [{ rate500: 1 }, { rate503: 1 }, { rate429: 1 }]) {
          yield* sandbox.control("PUT", "/faults", { ...fault, routes: ["GET /partner/me"] })
          yield* call("GET", "/partner/me")
        }
        yield* sandbox.control("DELETE", "/faults")

        yield* call("DELETE", `/partner/organizations/${org}`)
        yield* call("PUT", `/partner/organizations/${org}/status`, { body: { status: "active" } })

        // What Prism reported, in one readable value.
        expect(exchanges.filter((e) => e.response.length > 0)).toEqual([])
        expect(exchanges.filter((e) => e.invalid !== e.request.length > 0)).toEqual([])
        expect(exchanges.filter((e) => e.invalid && e.status >= 500)).toEqual([])
        expect(prism.output()).not.toMatch(/Selected route not found|Request terminated/)

        const spec = (yield* request(sandbox.origin, "GET", "/openapi.json")).body as {
          readonly paths: Record<string, Record<string, { readonly operationId: string }>>
        }
        const operations = Object.entries(spec.paths).flatMap(([template, item]) =>
          Object.entries(item).map(([method, op]) => ({
            id: op.operationId,
            method: method.toUpperCase(),
            pattern: new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`)
          }))
        )
        const succeeded = new Set(
          exchanges
            .filter((e) => e.status >= 200 && e.status < 300)
            .flatMap((e) =>
              operations
                .filter((o) => o.method === e.method && o.pattern.test(e.path.split("?")[0] ?? ""))
                .map((o) => o.id)
            )
        )
        expect([...succeeded].sort()).toEqual(operations.map((o) => o.id).sort())
        expect([...new Set(exchanges.map((e) => e.status))].sort((a, b) => a - b)).toEqual([
          200, 201, 204, 400, 401, 403, 404, 409, 413, 422, 429, 500, 503
        ])
      })
    )

    it.scoped("the sandbox applies the defaults the document declares", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const prism = yield* PrismProxy
        const key = sandbox.apiKey
        const spec = (yield* request(sandbox.origin, "GET", "/openapi.json")).body
        const defaultsOf = (schema: string) =>
          Object.fromEntries(
            Object.entries(
              (field(spec, "components", "schemas", schema, "properties") ?? {}) as Record<string, unknown>
            ).flatMap(([name, property]) =>
              field(property, "default") === undefined ? [] : [[name, field(property, "default")]]
            )
          )
        const orgDefaults = defaultsOf("OrganizationCreate")
        expect(orgDefaults).toMatchObject({ tier: "trial" })
        const created = yield* request(prism.url, "POST", "/partner/organizations", {
          key,
          body: { name: "Defaults" }
        })
        expect(field(created.body, "organization")).toMatchObject(orgDefaults)

        const parameters = field(
          spec,
          "paths",
          "/partner/organizations",
          "get",
          "parameters"
        ) as ReadonlyArray<unknown>
        const queryDefault = (name: string) =>
          field(
            parameters.find((p) => field(p, "name") === name),
            "schema",
            "default"
          )
        const page = yield* request(prism.url, "GET", "/partner/organizations", { key })
        expect([field(page.body, "page"), field(page.body, "pageSize")]).toEqual([
          queryDefault("page"),
          queryDefault("pageSize")
        ])
        expect(queryDefault("pageSize")).toBe(20)

        const config = yield* request(
          prism.url,
          "POST",
          `/partner/organizations/${String(field(created.body, "organization", "id"))}/icp-configs`,
          { key, body: { name: "Defaults", rules } }
        )
        expect(field(config.body, "icpConfig")).toMatchObject(defaultsOf("IcpConfigCreate"))
        expect(Object.keys(defaultsOf("IcpConfigCreate"))).toEqual(["active"])
        const keyDefaults = defaultsOf("ApiKeyCreate")
        expect(keyDefaults).toEqual({ scopes: ["read", "write", "admin"] })
        const issued = yield* request(prism.url, "POST", "/partner/api-keys", {
          key,
          body: { name: "Defaults" }
        })
        expect(field(issued.body, "apiKey")).toMatchObject(keyDefaults)
        for (const reply of [created, page, config, issued])
          expect(reply.headers.get("sl-violations")).toBeNull()
      })
    )
  })
})
