import { demoSeed } from "@bullseye-partner/sandbox/SeedOption"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { startApp } from "../support/TestApp.js"

describe("Dashboard", () => {
  layer(SandboxTest.layer({ seed: demoSeed({ organizations: 4, visitorsPerOrg: 5 }) }), {
    excludeTestServices: true,
    timeout: 30_000
  })((it) => {
    it.effect("shows the partner, the credit pool, the chart, webhooks and domain status", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const app = startApp(sandbox)
          try {
            const frame = await app.waitFor([
              "Demo Partner",
              "Credit pool",
              "total 100,000",
              "Identifications per day"
            ])
            expect(frame).toContain("SANDBOX")
            await app.waitFor(["max ", "/day"])
            await app.waitFor((f) => /Webhooks identification off/.test(f))
            expect(app.frame()).toContain("Domain none set")
            await app.waitFor((f) => /rate \d+\/1000/.test(f))
          } finally {
            await app.close()
          }
        })
      })
    )
  })
})
