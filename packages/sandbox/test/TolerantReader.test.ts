// The SDK against a stand-in for the real API that differs from our contract only where the reference says
// [decided]: another 2xx, bare objects for [decided] wrappers, new fields and new enum values.
import { describe, expect, layer } from "@effect/vitest"
import { Chunk, Effect, Either, Stream } from "effect"
import { SandboxTest } from "../src/SandboxTest.js"
import { demoSeed } from "../src/SeedOption.js"
import { Drift, driftServer, type DriftRule } from "./support/DriftServer.js"
import { receiver } from "./support/Receiver.js"
import { sdkAt } from "./support/Sdk.js"

type Json = Record<string, unknown>

const isJson = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)

/** Rewrites the value under `key` of a JSON object body. */
const at =
  (key: string, f: (value: unknown) => unknown) =>
  (body: unknown): unknown =>
    isJson(body) ? { ...body, [key]: f(body[key]) } : body

/** Rewrites the first object of an array. */
const first =
  (f: (item: Json) => Json) =>
  (items: unknown): unknown =>
    Array.isArray(items) ? items.map((item, i) => (i === 0 && isJson(item) ? f(item) : item)) : items

/** `{key: X}` (a single-key body) → `X`, whatever the key. */
const unwrapAny = (body: unknown): unknown => {
  const values = isJson(body) ? Object.values(body) : []
  return values.length === 1 ? values[0] : body
}

/** The SDK through a drift server with `rules` in front of the suite's sandbox. */
const through = (rules: ReadonlyArray<DriftRule>) =>
  Effect.gen(function* () {
    const sandbox = yield* SandboxTest
    const drift = yield* driftServer(sandbox.baseUrl, rules)
    return { sandbox, drift, sdk: yield* sdkAt(drift.baseUrl, sandbox.apiKey) }
  })

/** The oldest organization: one of the demo seed's, which all have visitors and ICP configs. */
const demoOrganization = (sdk: Effect.Effect.Success<ReturnType<typeof sdkAt>>) =>
  Effect.map(sdk.orgs.list({ pageSize: 100 }), (page) => page.organizations[page.organizations.length - 1])

const field = (value: object, name: string): unknown => (value as Json)[name]

describe("The SDK reads tolerantly where the contract is our guess", () => {
  layer(SandboxTest.layer({ seed: demoSeed({ organizations: 3, visitorsPerOrg: 2 }) }))((it) => {
    it.scoped(
      "a create answered 200 with the bare organization and new fields returns it, created once",
      () =>
        Effect.gen(function* () {
          const { sdk } = yield* through([
            {
              method: "POST",
              path: /^\/partner\/organizations$/,
              status: 200,
              json: (b) => Drift.extraFields(Drift.unwrap("organization")(b))
            }
          ])
          const created = yield* sdk.orgs.create({ name: "Bare Co", externalId: "tolerant-create" })
          expect(created.name).toBe("Bare Co")
          expect(field(created, "driftNewField")).toEqual({ added: true })
          const page = yield* sdk.orgs.list({ externalId: "tolerant-create" })
          expect(page.organizations.map((o) => o.id)).toEqual([created.id])
        })
    )

    it.scoped("ensure over a 200 answer reports `created` and does not create twice", () =>
      Effect.gen(function* () {
        const { sdk } = yield* through([{ method: "POST", path: /^\/partner\/organizations$/, status: 200 }])
        const first = yield* sdk.orgs.ensure({ name: "Once", externalId: "tolerant-ensure" })
        const again = yield* sdk.orgs.ensure({ name: "Once", externalId: "tolerant-ensure" })
        expect([first.outcome, again.outcome]).toEqual(["created", "existed"])
        expect(again.organization.id).toBe(first.organization.id)
      })
    )

    it.scoped("a get answered bare with a status the contract does not know returns that status", () =>
      Effect.gen(function* () {
        const { sdk, sandbox } = yield* through([
          {
            method: "GET",
            path: /^\/partner\/organizations\/[^/]+$/,
            json: (b) => ({ ...(Drift.unwrap("organization")(b) as Json), status: "disabled" })
          }
        ])
        const direct = yield* sdkAt(sandbox.baseUrl, sandbox.apiKey)
        const [one] = (yield* direct.orgs.list({ pageSize: 1 })).organizations
        const read = yield* sdk.orgs.get(one!.id)
        expect({ id: read.id, status: read.status }).toEqual({ id: one!.id, status: "disabled" })
      })
    )

    it.scoped("a whole list read survives one unknown value and new fields, keeping both", () =>
      Effect.gen(function* () {
        const { sdk, sandbox } = yield* through([
          {
            method: "GET",
            path: /^\/partner\/organizations$/,
            json: (b) =>
              Drift.extraFields(
                at(
                  "organizations",
                  first((o) => ({ ...o, status: "disabled" }))
                )(b)
              )
          }
        ])
        const direct = yield* sdkAt(sandbox.baseUrl, sandbox.apiKey)
        const total = (yield* direct.orgs.list()).total
        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(sdk.orgs.listAll({}, 2)))
        expect(all).toHaveLength(total)
        expect(all.filter((o) => o.status === "disabled")).toHaveLength(Math.ceil(total / 2))
        expect(all.every((o) => field(o, "driftNewField") !== undefined)).toBe(true)
      })
    )

    it.scoped(
      "ICP configs with a condition type, comparator and value the SDK does not know are returned as sent",
      () =>
        Effect.gen(function* () {
          const revenue = { type: "company_revenue", comparator: "between", value: { min: 1_000_000 } }
          const withRevenue = (config: Json): Json =>
            at(
              "rules",
              at(
                "groups",
                first(
                  at(
                    "conditions",
                    first(() => revenue)
                  ) as (g: Json) => Json
                )
              )
            )(config) as Json
          const { sdk, sandbox } = yield* through([
            { method: "GET", path: /\/icp-configs$/, json: at("icpConfigs", first(withRevenue)) },
            { method: "POST", path: /\/icp-configs$/, status: 200, json: Drift.unwrap("icpConfig") }
          ])
          const direct = yield* sdkAt(sandbox.baseUrl, sandbox.apiKey)
          const org = yield* demoOrganization(direct)
          const created = yield* sdk.icp.create(org!.id, {
            name: "Tolerant",
            rules: {
              groups: [
                {
                  operator: "AND",
                  conditions: [{ type: "country", comparator: "eq", value: "US", optional: false }]
                }
              ]
            }
          })
          expect(created.name).toBe("Tolerant")
          const configs = yield* sdk.icp.list(org!.id)
          expect(configs.length).toBeGreaterThan(1)
          expect(configs[0]?.rules.groups[0]?.conditions[0]).toEqual({ ...revenue, optional: false })
        })
    )

    it.scoped(
      "every [decided] wrapper of a read also decodes bare (pixel, visitor, ICP config, script config)",
      () =>
        Effect.gen(function* () {
          const bare: DriftRule = {
            method: "GET",
            path: /\/(pixel|visitors\/[^/]+|icp-configs\/[^/]+|script-config)$/,
            json: (b) => Drift.extraFields(unwrapAny(b))
          }
          const { sdk, sandbox } = yield* through([bare])
          const direct = yield* sdkAt(sandbox.baseUrl, sandbox.apiKey)
          const org = yield* demoOrganization(direct)
          const [visitor] = (yield* direct.orgs.listVisitors(org!.id)).visitors
          const [config] = yield* direct.icp.list(org!.id)
          expect((yield* sdk.orgs.getPixel(org!.id)).organizationId).toBe(org!.id)
          expect((yield* sdk.orgs.getVisitor(org!.id, visitor!.id)).id).toBe(visitor!.id)
          expect((yield* sdk.icp.get(org!.id, config!.id)).id).toBe(config!.id)
          const script = yield* sdk.account.scriptConfig()
          expect(field(script, "driftNewField")).toEqual({ added: true })
        })
    )

    it.scoped("apiKeys.create answered 200 with new fields returns the plain key, which works", () =>
      Effect.gen(function* () {
        const { sdk, sandbox } = yield* through([
          { method: "POST", path: /^\/partner\/api-keys$/, status: 200, json: Drift.extraFields }
        ])
        const created = yield* sdk.keys.create({ name: "tolerant", scopes: ["read"] })
        expect(created.apiKey.scopes).toEqual(["read"])
        const withNewKey = yield* sdkAt(sandbox.baseUrl, created.plainKey)
        expect((yield* withNewKey.account.me()).id).toBe(sandbox.partnerId)
      })
    )

    it.scoped("webhook deliveries with a status and type the SDK does not know are returned as sent", () =>
      Effect.gen(function* () {
        const hook = yield* receiver([200])
        const { sdk } = yield* through([
          {
            method: "POST",
            path: /^\/partner\/webhooks\/test$/,
            status: 201,
            json: (b) => ({ ...(Drift.unwrap("delivery")(b) as Json), status: "delivered" })
          },
          {
            method: "GET",
            path: /^\/partner\/webhooks\/logs$/,
            json: at(
              "logs",
              first((d) => ({ ...d, status: "dead_lettered", type: "audit" }))
            )
          },
          {
            method: "GET",
            path: /^\/partner\/api-keys$/,
            json: at(
              "apiKeys",
              first((k) => ({ ...k, status: "rotating" }))
            )
          }
        ])
        yield* sdk.webhooks.update("identification", { url: hook.url })
        const delivery = yield* sdk.webhooks.test("identification")
        expect(delivery.status).toBe("delivered")
        const logs = yield* sdk.webhooks.logs()
        expect(logs.logs[0]).toMatchObject({ status: "dead_lettered", type: "audit" })
        expect((yield* sdk.keys.list())[0]?.status).toBe("rotating")
      })
    )

    it.scoped("a delete answered 200 with a body succeeds (the organization is canceled)", () =>
      Effect.gen(function* () {
        const { sdk } = yield* through([
          {
            method: "DELETE",
            path: /^\/partner\/organizations\/[^/]+$/,
            reply: { status: 200, headers: { "content-type": "application/json" }, body: '{"deleted":true}' }
          }
        ])
        const org = yield* sdk.orgs.create({ name: "Short-lived", externalId: "tolerant-delete" })
        yield* sdk.orgs.cancel(org.id)
        expect((yield* sdk.orgs.get(org.id)).status).toBe("canceled")
      })
    )

    it.scoped("a documented wrapper stays required: a bare partner is a decode error, not a partner", () =>
      Effect.gen(function* () {
        const { sdk } = yield* through([
          { method: "GET", path: /^\/partner\/me$/, json: Drift.unwrap("partner") }
        ])
        const result = yield* Effect.either(sdk.account.me())
        expect(Either.isLeft(result) && result.left._tag).toBe("ResponseDecodeError")
      })
    )

    it.scoped("a create answered 204 without a body cannot be read as an organization: a decode error", () =>
      Effect.gen(function* () {
        const { sdk } = yield* through([
          { method: "POST", path: /^\/partner\/organizations$/, reply: { status: 204, body: "" } }
        ])
        const result = yield* Effect.either(sdk.orgs.create({ name: "Empty", externalId: "tolerant-204" }))
        expect(Either.isLeft(result) && result.left._tag).toBe("ResponseDecodeError")
      })
    )
  })
})
