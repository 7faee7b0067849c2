import { IcpConfigs } from "@bullseye-partner/core/IcpConfigs"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { demoSeed } from "@bullseye-partner/sandbox/SeedOption"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { keys, startApp, type TestApp } from "../support/TestApp.js"

const openFirstOrganization = async (app: TestApp) => {
  const page = await app.sdk(Effect.flatMap(Organizations, (o) => o.list({ pageSize: 1 })))
  const org = page.organizations[0]
  if (org === undefined) throw new Error("no organization")
  await app.waitFor("SANDBOX")
  await app.press("2")
  await app.waitFor("shown of")
  await app.press(keys.enter)
  await app.waitFor(["Tab/←→ switch", org.name])
  return org
}

describe("Organization tabs", () => {
  layer(SandboxTest.layer({ seed: demoSeed({ organizations: 2, visitorsPerOrg: 30 }) }), {
    excludeTestServices: true,
    timeout: 60_000
  })((it) => {
    it.effect("pixel shows the snippet and edits the allowed domains", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const app = startApp(sandbox)
          try {
            const org = await openFirstOrganization(app)
            await app.press(keys.tab, keys.tab)
            await app.waitFor(["Snippet", "<script", "Allowed domains"])
            await app.press("a")
            await app.waitFor("Add an allowed domain")
            await app.type("not a domain")
            await app.press(keys.enter)
            await app.waitFor("Enter a bare hostname")
            await app.press(...Array.from({ length: 12 }, () => keys.backspace))
            await app.type("shop.example.org")
            await app.press(keys.enter)
            await app.waitFor(["Pixel saved", "shop.example.org"])
            const pixel = await app.sdk(Effect.flatMap(Organizations, (o) => o.getPixel(org.id)))
            expect(pixel.allowedDomains).toContain("shop.example.org")
          } finally {
            await app.close()
          }
        })
      })
    )

    it.effect("visitors page through the API, search, and open a detail with sessions", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const app = startApp(sandbox)
          try {
            const org = await openFirstOrganization(app)
            const page = await app.sdk(
              Effect.flatMap(Organizations, (o) => o.listVisitors(org.id, { pageSize: 20 }))
            )
            await app.press(keys.tab, keys.tab, keys.tab)
            await app.waitFor(["Visitors", `page 1 of ${Math.ceil(page.total / 20)}`])
            await app.press("n")
            await app.waitFor("page 2 of")
            await app.press("p")
            await app.waitFor("page 1 of")
            const first = page.visitors[0]
            if (first === undefined) throw new Error("no visitors")
            await app.press(keys.enter)
            await app.waitFor(["Sessions", "page views", "Esc back to the list"])
            await app.press(keys.esc)
            await app.waitFor("n/p page")
            const needle = first.email?.split("@")[0] ?? ""
            await app.press("/")
            await app.type(needle)
            await app.press(keys.enter)
            await app.waitFor((f) => f.includes(first.email ?? "") && f.includes("page 1 of 1"))
          } finally {
            await app.close()
          }
        })
      })
    )

    it.effect("ICP configs: create with the rule editor and its live preview, then delete", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const app = startApp(sandbox)
          try {
            const org = await openFirstOrganization(app)
            await app.press(keys.left)
            await app.waitFor(["Prio", "Rules"])
            await app.press("n")
            await app.waitFor("New ICP config")
            await app.type("Big companies")
            await app.press(keys.tab)
            await app.type("company_size gte")
            await app.waitFor('"company_size gte" needs a value')
            await app.type(" 1")
            const preview = await app.waitFor((f) => /matches \d+ of \d+ recent visitors/.test(f))
            expect(preview).toMatch(/of 30 recent visitors/)
            await app.press(keys.enter)
            await app.waitFor("Saved Big companies")
            const configs = await app.sdk(Effect.flatMap(IcpConfigs, (c) => c.list(org.id)))
            const created = configs.find((c) => c.name === "Big companies")
            expect(created?.rules.groups[0]?.conditions[0]).toMatchObject({
              type: "company_size",
              comparator: "gte",
              value: 1
            })

            while (!app.frame().includes("> ") || !/> +\d+ Big companies/.test(app.frame()))
              await app.press(keys.down)
            await app.press("d")
            await app.waitFor("Delete the ICP config Big companies?")
            await app.press("y")
            await app.waitFor("Deleted Big companies")
            const after = await app.sdk(Effect.flatMap(IcpConfigs, (c) => c.list(org.id)))
            expect(after.some((c) => c.name === "Big companies")).toBe(false)
          } finally {
            await app.close()
          }
        })
      })
    )
  })
})
