import { Domains } from "@bullseye-partner/core/Domains"
import { PartnerAccount } from "@bullseye-partner/core/PartnerAccount"
import { demoSeed } from "@bullseye-partner/sandbox/SeedOption"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { keys, startApp, type TestApp } from "../support/TestApp.js"

const clear = (app: TestApp, n: number) => app.press(...Array.from({ length: n }, () => keys.backspace))

describe("Billing, Branding and Domain", () => {
  layer(SandboxTest.layer({ seed: demoSeed({ organizations: 3, visitorsPerOrg: 4 }) }), {
    excludeTestServices: true,
    timeout: 60_000
  })((it) => {
    it.effect("billing shows the tiers and usage, and the calculator prices a usage", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const app = startApp(sandbox)
          try {
            await app.waitFor("SANDBOX")
            await app.press("5")
            await app.waitFor(["Billing", "Pricing tiers", "This period", "identifications"])
            await app.press("c")
            await app.waitFor("Cost calculator")
            await app.type("12000")
            await app.press(keys.enter)
            await app.waitFor("12,000 identifications cost")
          } finally {
            await app.close()
          }
        })
      })
    )

    it.effect("branding edits the company name and colours, refusing a bad colour before sending", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const app = startApp(sandbox)
          try {
            await app.waitFor("SANDBOX")
            await app.press("6")
            await app.waitFor(["Branding", "Primary colour"])
            await app.press("e")
            await app.waitFor("Edit branding")
            await clear(app, 40)
            await app.type("Acme Partners")
            await app.press(keys.tab, keys.tab)
            await clear(app, 10)
            await app.type("#12345")
            await app.press(keys.tab)
            await app.press(keys.enter)
            await app.waitFor("Primary colour: # and 6 hex digits")
            await app.press(keys.up)
            await app.type("6")
            await app.press(keys.tab, keys.enter)
            await app.waitFor("Branding saved")
            const partner = await app.sdk(Effect.flatMap(PartnerAccount, (p) => p.me()))
            expect(partner.companyName).toBe("Acme Partners")
            expect(partner.primaryColor.toLowerCase()).toBe("#123456")
          } finally {
            await app.close()
          }
        })
      })
    )

    it.effect(
      "domain sets a domain, lists its DNS records and shows the per-record verification result",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          yield* Effect.promise(async () => {
            const app = startApp(sandbox)
            try {
              await app.waitFor("SANDBOX")
              await app.press("7")
              await app.waitFor("No custom domain yet")
              await app.press("s")
              await app.waitFor("Set the custom domain")
              await app.type("track.example.com")
              await app.press(keys.enter)
              await app.waitFor(["Domain set to track.example.com", "not verified", "CNAME", "TXT"])
              await app.press("v")
              await app.waitFor(["Domain verification failed", "✗ CNAME", "found: nothing"])
              const partner = await app.sdk(Effect.flatMap(PartnerAccount, (p) => p.me()))
              expect(partner.scriptDomain).toBe("track.example.com")
              expect(partner.scriptDomainVerified).toBe(false)

              const setup = await app.sdk(Effect.flatMap(Domains, (d) => d.verification()))
              await Effect.runPromise(sandbox.control("PUT", "/dns", { records: setup.dnsRecords }))
              await app.press("v")
              await app.waitFor(["Domain verified", "✓ CNAME", "✓ TXT"])
            } finally {
              await app.close()
            }
          })
        })
    )
  })
})
