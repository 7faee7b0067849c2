import * as Conformance from "@bullseye-partner/core/Conformance"
import { Command } from "@effect/cli"
import { HttpClient } from "@effect/platform"
import { Effect, Either, Layer, Option, Ref } from "effect"
import * as Connection from "../Connection.js"
import { describeError } from "../internal/describeError.js"
import { json, profile, setExitCode, UserError } from "../internal/cli.js"
import { Output } from "../Output.js"
import { WriteClient } from "../WriteClient.js"

/** At most this many requests per run, whatever the API holds. */
const requestBudget = 50

/** Where the id a path parameter needs comes from: a list endpoint and the array of its answer. */
const idSources: Readonly<Record<string, { readonly endpoint: string; readonly items: string }>> = {
  organizationId: { endpoint: "organizations.list", items: "organizations" },
  visitorId: { endpoint: "organizations.listVisitors", items: "visitors" },
  icpConfigId: { endpoint: "icpConfigs.list", items: "icpConfigs" }
}

const idOf = (endpoint: Conformance.ContractEndpoint) => `${endpoint.group}.${endpoint.name}`

/** The path parameter whose ids a list endpoint yields, with where they are in its answer. */
const sourceOf = (endpoint: Conformance.ContractEndpoint) =>
  Object.entries(idSources).find(([, source]) => source.endpoint === idOf(endpoint))

/** Query parameters a read endpoint requires. */
const requiredQuery: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  "billing.calculate": { usage: 1000 }
}

/** How many organizations are tried to find one with visitors and ICP configs. */
const organizationsTried = 3

type Outcome = "conforms" | "drift" | "skipped" | "failed"

interface EndpointReport {
  readonly endpoint: string
  readonly method: string
  readonly path: string
  readonly outcome: Outcome
  readonly statuses: ReadonlyArray<number>
  readonly differences: ReadonlyArray<Conformance.Difference & { readonly message: string }>
  readonly reason?: string
}

type Call = (request: object) => Effect.Effect<unknown, unknown>

// Doctor walks the endpoints by reflection, so it calls them by name instead of through run's typed signature.
type RunByName = (
  group: string,
  endpoint: string,
  f: (client: Record<string, Call>) => Effect.Effect<unknown, unknown>
) => Effect.Effect<unknown, unknown>

const paramsOf = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? "")

const idsIn = (body: string, items: string): ReadonlyArray<string> => {
  try {
    const json: unknown = JSON.parse(body)
    const list: unknown =
      typeof json === "object" && json !== null && !Array.isArray(json)
        ? (json as Record<string, unknown>)[items]
        : json
    return Array.isArray(list)
      ? list.flatMap((item: unknown) =>
          typeof item === "object" && item !== null && "id" in item && typeof item.id === "string"
            ? [item.id]
            : []
        )
      : []
  } catch {
    return []
  }
}

// The report names the API, never a credential a URL might carry.
const publicUrl = (baseUrl: string) => {
  try {
    const url = new URL(baseUrl)
    return `${url.origin}${url.pathname}`
  } catch {
    return "(unparsable base URL)"
  }
}

const line = (r: EndpointReport): string => {
  const head = `${r.outcome === "conforms" ? "ok  " : r.outcome === "drift" ? "DRIFT" : r.outcome === "skipped" ? "skip" : "FAIL"} ${r.endpoint} (${r.method} ${r.path})`
  switch (r.outcome) {
    case "conforms":
      return `${head}: conforms (${r.statuses.join(", ")})`
    case "drift":
      return `${head}: ${r.differences.map((d) => d.message).join("; ")}`
    default:
      return `${head}: ${r.reason ?? r.outcome}`
  }
}

const doctor = (options: { readonly json: boolean; readonly profile: Option.Option<string> }) =>
  Effect.gen(function* () {
    const last = yield* Ref.make<Conformance.ObservedResponse | undefined>(undefined)
    const sent = yield* Ref.make(0)
    // Every answer the SDK receives is kept as it came off the wire, to be checked strictly.
    const recording = Layer.effect(
      HttpClient.HttpClient,
      Effect.map(HttpClient.HttpClient, (client) =>
        client.pipe(
          HttpClient.tap((response) =>
            Effect.flatMap(
              Effect.orElseSucceed(response.text, () => ""),
              (body) =>
                Effect.zipRight(
                  Ref.update(sent, (n) => n + 1),
                  Ref.set(last, { status: response.status, headers: { ...response.headers }, body })
                )
            )
          )
        )
      )
    )
    const connection = Connection.layer({ profile: options.profile }).pipe(Layer.provide(recording))
    yield* Effect.gen(function* () {
      const client = yield* WriteClient
      const runByName = client.run as unknown as RunByName
      const output = yield* Output
      // Ids found per path parameter, and for a child id the organization it was listed under.
      const found = new Map<string, Array<string>>()
      const foundUnder = new Map<string, string>()
      const reports = new Map<string, Array<EndpointReport>>()
      const add = (endpoint: Conformance.ContractEndpoint, report: EndpointReport) => {
        reports.set(idOf(endpoint), [...(reports.get(idOf(endpoint)) ?? []), report])
      }

      const baseOf = (endpoint: Conformance.ContractEndpoint) => ({
        endpoint: idOf(endpoint),
        method: endpoint.method,
        path: endpoint.path
      })

      const probe = (endpoint: Conformance.ContractEndpoint, ids: Readonly<Record<string, string>>) =>
        Effect.gen(function* () {
          const base = baseOf(endpoint)
          if ((yield* Ref.get(sent)) >= requestBudget) {
            return add(endpoint, {
              ...base,
              outcome: "skipped",
              statuses: [],
              differences: [],
              reason: `skipped: the budget of ${requestBudget} requests is spent`
            })
          }
          yield* Ref.set(last, undefined)
          const params = paramsOf(endpoint.path)
          const request = {
            ...(params.length === 0 ? {} : { path: Object.fromEntries(params.map((p) => [p, ids[p]])) }),
            ...(requiredQuery[base.endpoint] === undefined ? {} : { urlParams: requiredQuery[base.endpoint] })
          }
          const result = yield* Effect.either(
            runByName(endpoint.group, endpoint.name, (c) => c[endpoint.name]!(request))
          )
          const response = yield* Ref.get(last)
          if (response === undefined) {
            const reason = Either.isLeft(result) ? describeError(result.left).message : "no answer"
            return add(endpoint, {
              ...base,
              outcome: "failed",
              statuses: [],
              differences: [],
              reason: `failed: ${reason}`
            })
          }
          if (response.status === 401) {
            return yield* new UserError({
              message: `The API refused the key (401 on ${endpoint.method} ${endpoint.path}): check BULLSEYE_API_KEY or the profile`
            })
          }
          if (response.status === 403) {
            const scope =
              /"requiredScope"\s*:\s*"(\w+)"/.exec(response.body)?.[1] ?? endpoint.scope ?? "another"
            return add(endpoint, {
              ...base,
              outcome: "skipped",
              statuses: [403],
              differences: [],
              reason: `skipped: needs scope ${scope}`
            })
          }
          const source = sourceOf(endpoint)
          if (source !== undefined && response.status >= 200 && response.status < 300) {
            const [param, { items }] = source
            found.set(param, [...(found.get(param) ?? []), ...idsIn(response.body, items)])
          }
          const differences = endpoint
            .check(response)
            .map((d) => ({ ...d, message: Conformance.describe(d) }))
          add(endpoint, {
            ...base,
            outcome: differences.length === 0 ? "conforms" : "drift",
            statuses: [response.status],
            differences
          })
        })

      const reads = Conformance.endpoints.filter((e) => e.method === "GET")
      const byParams = (n: number) => reads.filter((e) => paramsOf(e.path).length === n)
      for (const endpoint of byParams(0)) yield* probe(endpoint, {})
      const organizations = (found.get("organizationId") ?? []).slice(0, organizationsTried)
      for (const endpoint of byParams(1)) {
        if (organizations.length === 0) continue
        // Lists that lead to deeper reads are tried on a few organizations until one has items.
        const source = sourceOf(endpoint)
        for (const organizationId of source !== undefined ? organizations : organizations.slice(0, 1)) {
          yield* probe(endpoint, { organizationId })
          if (source !== undefined && (found.get(source[0]) ?? []).length > 0) {
            foundUnder.set(source[0], organizationId)
            break
          }
        }
      }
      for (const endpoint of byParams(2)) {
        const child = paramsOf(endpoint.path).find((p) => p !== "organizationId") ?? ""
        const childId = found.get(child)?.[0]
        const organizationId = foundUnder.get(child)
        if (childId !== undefined && organizationId !== undefined)
          yield* probe(endpoint, { organizationId, [child]: childId })
      }

      const merged: Array<EndpointReport> = reads.map((endpoint) => {
        const base = baseOf(endpoint)
        const all = reports.get(base.endpoint) ?? []
        if (all.length === 0) {
          const missing = paramsOf(endpoint.path).find((p) => (found.get(p) ?? []).length === 0) ?? "id"
          return {
            ...base,
            outcome: "skipped",
            statuses: [],
            differences: [],
            reason: `skipped: nothing to read (no ${missing.replace(/Id$/, "")} found)`
          }
        }
        const statuses = [...new Set(all.flatMap((r) => r.statuses))]
        const drift = all.filter((r) => r.outcome === "drift")
        if (drift.length > 0) {
          const seen = new Set<string>()
          const differences = drift
            .flatMap((r) => r.differences)
            .filter((d) => !seen.has(d.message) && seen.add(d.message))
          return {
            ...base,
            outcome: "drift",
            statuses,
            differences
          }
        }
        const failed = all.find((r) => r.outcome === "failed" || r.outcome === "skipped")
        if (failed !== undefined && all.every((r) => r.outcome !== "conforms")) return failed
        return {
          ...base,
          outcome: "conforms",
          statuses,
          differences: []
        }
      })

      const count = (o: Outcome) => merged.filter((r) => r.outcome === o).length
      const requests = yield* Ref.get(sent)
      const result = count("drift") > 0 ? "drift" : count("failed") > 0 ? "incomplete" : "conforms"
      if (options.json) {
        const report = {
          baseUrl: publicUrl(client.baseUrl),
          checkedAt: new Date().toISOString(),
          requests,
          result,
          endpoints: merged
        }
        yield* output.out(`${JSON.stringify(report, null, 2)}\n`)
      } else {
        for (const r of merged) yield* output.out(`${line(r)}\n`)
        yield* output.out(
          `${publicUrl(client.baseUrl)}: ${count("conforms")} conform, ${count("drift")} drift, ${count("skipped")} skipped, ${count("failed")} failed (${requests} requests)\n`
        )
      }
      yield* setExitCode(result === "drift" ? 3 : result === "incomplete" ? 1 : 0)
    }).pipe(Effect.provide(connection))
  })

/** `bullseye-run doctor`: a read-only check of the configured API against the contract. */
export const doctorCommand = Command.make("doctor", { json, profile }, doctor).pipe(
  Command.withDescription(
    "Check the configured API against the contract, read-only: calls every read endpoint the key may use " +
      `(at most ${requestBudget} requests) and names every difference. Exit 0 conforms, 3 drift, 1 could not run.`
  )
)
