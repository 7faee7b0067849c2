import { ApiKeys } from "@bullseye-partner/core/ApiKeys"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { demoSeed } from "@bullseye-partner/sandbox/SeedOption"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { keys, startApp, type TestApp } from "../support/TestApp.js"

const clear = (app: TestApp, n: number) => app.press(...Array.from({ length: n }, () => keys.backspace))

describe("Organizations", () => {
  layer(SandboxTest.layer({ seed: demoSeed({ organizations: 12, visitorsPerOrg: 3 }) }), {
    excludeTestServices: true,
    timeout: 60_000
  })((it) => {
    it.effect("lists, filters by text and status, sorts, opens an organization and allocates credits", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const app = startApp(sandbox)
          try {
            const orgs = await app.sdk(Effect.flatMap(Organizations, (o) => o.list({ pageSize: 100 })))
            const target = orgs.organizations.find((o) => o.status === "active")
            if (target === undefined) throw new Error("the demo seed has no active organization")
            await app.sdk(Effect.flatMap(Organizations, (o) => o.setTier(target.id, "paid")))
            await app.waitFor("Demo Partner")
            await app.press("2")
            await app.waitFor(["Organizations", `${orgs.total} shown of ${orgs.total}`])

            await app.press("f")
            await app.waitFor("status active")
            await app.press("f", "f", "f", "s")
            await app.waitFor(["status all", "sort name"])

            await app.press("/")
            await app.type(target.name)
            await app.press(keys.enter)
            const filtered = await app.waitFor((f) => /\b1 shown of/.test(f) || f.includes(" shown of"))
            expect(filtered).toContain(target.name)

            await app.press(keys.enter)
            await app.waitFor(["Overview", "Credits", "Tab/←→ switch"])
            await app.press(keys.tab)
            await app.waitFor(["Allocation", "Partner pool"])
            await app.press("a")
            await app.waitFor("Set the allocation")
            await clear(app, 10)
            const credits = target.credits + 250
            await app.type(String(credits))
            await app.press(keys.enter, keys.enter)
            await app.waitFor(`Set the allocation of ${target.name} from`)
            await app.press("y")
            await app.waitFor(`Allocation of ${target.name} set to ${credits.toLocaleString("en-US")}`)
            const after = await app.sdk(Effect.flatMap(Organizations, (o) => o.get(target.id)))
            expect(after.credits).toBe(credits)
          } finally {
            await app.close()
          }
        })
      })
    )

    it.effect("checks an allocation against the pool and shows the API's typed errors", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const app = startApp(sandbox)
          try {
            const orgs = await app.sdk(Effect.flatMap(Organizations, (o) => o.list({ pageSize: 100 })))
            const [first, second] = orgs.organizations.filter((o) => o.status === "active")
            if (first === undefined || second === undefined)
              throw new Error("the demo seed needs two active organizations")
            await app.sdk(
              Effect.flatMap(Organizations, (o) => o.update(second.id, { externalId: "taken-id" }))
            )
            await app.sdk(Effect.flatMap(Organizations, (o) => o.setTier(first.id, "paid")))
            await app.press(":")
            await app.type(first.name)
            await app.waitFor(`org     ${first.name}`)
            await app.press(keys.down)
            await app.waitFor((f) => f.includes(`> org     ${first.name}`) || f.includes(`> screen`))
            // The first entry may be a screen whose title matches; pick the organization explicitly.
            while (!app.frame().includes(`> org     ${first.name}`)) await app.press(keys.down)
            await app.press(keys.enter)
            await app.waitFor(["Overview", first.name])

            await app.press(keys.right, "a")
            await app.waitFor("Set the allocation")
            await clear(app, 10)
            await app.type("9999999")
            await app.press(keys.enter, keys.enter)
            await app.waitFor("Not enough credits in the pool:")
            await app.press(keys.esc)
            await app.press(keys.left)
            await app.waitFor("Metadata")

            await app.press("e")
            await app.waitFor("Edit organization")
            await app.press(keys.tab)
            await clear(app, 40)
            await app.type("taken-id")
            await app.press(keys.enter, keys.enter)
            await app.waitFor("Another organization already uses the externalId taken-id")
            const unchanged = await app.sdk(Effect.flatMap(Organizations, (o) => o.get(first.id)))
            expect(unchanged.externalId).not.toBe("taken-id")

            await app.press("s")
            await app.waitFor(`Suspend ${first.name}?`)
            await app.press("y")
            await app.waitFor(`${first.name} is now suspended`)
            const suspended = await app.sdk(Effect.flatMap(Organizations, (o) => o.get(first.id)))
            expect(suspended.status).toBe("suspended")

            await app.press("x")
            await app.waitFor(["Canceling is permanent", `Type "${first.name}"`])
            await app.type(first.name)
            await app.press(keys.enter)
            await app.waitFor(`${first.name} is now canceled`)
            const canceled = await app.sdk(Effect.flatMap(Organizations, (o) => o.get(first.id)))
            expect(canceled.status).toBe("canceled")
            await app.press("s")
            await app.waitFor("canceled organizations cannot change")
          } finally {
            await app.close()
          }
        })
      })
    )

    it.effect("shows write actions as unavailable for a read-only key", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const admin = startApp(sandbox)
          const created = await admin.sdk(
            Effect.flatMap(ApiKeys, (k) => k.create({ name: "reader", scopes: ["read"] }))
          )
          await admin.close()
          const app = startApp(sandbox, { apiKey: created.plainKey })
          try {
            await app.waitFor(["READ-ONLY", "Demo Partner"])
            await app.press("2")
            await app.waitFor("shown of")
            await app.press(keys.enter)
            await app.waitFor("Tab/←→ switch")
            await app.press("e")
            await app.waitFor("Unavailable: edit name, externalId and metadata needs the write scope")
            await app.press("?")
            await app.waitFor("(unavailable: needs write)")
          } finally {
            await app.close()
          }
        })
      })
    )
  })

  // More than one page: the list walks on from page 1 (already shown) and a refresh walks it again.
  layer(SandboxTest.layer({ seed: demoSeed({ organizations: 230, visitorsPerOrg: 0 }) }), {
    excludeTestServices: true,
    timeout: 60_000
  })((it) => {
    it.effect("shows every page of a long list, and a refresh picks up a new organization", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const app = startApp(sandbox)
          try {
            const { total } = await app.sdk(Effect.flatMap(Organizations, (o) => o.list({ pageSize: 1 })))
            expect(total).toBeGreaterThan(200)
            await app.waitFor("Demo Partner")
            await app.press("2")
            await app.waitFor(`${total} shown of ${total}`)
            await app.sdk(Effect.flatMap(Organizations, (o) => o.create({ name: "Zzz Latecomer" })))
            await app.press("r")
            await app.waitFor(`${total + 1} shown of ${total + 1}`)
            await app.press("/")
            await app.type("Latecomer")
            await app.waitFor("1 shown of")
          } finally {
            await app.close()
          }
        })
      })
    )
  })
})
