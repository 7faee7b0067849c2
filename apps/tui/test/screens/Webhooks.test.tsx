import { Webhooks } from "@bullseye-partner/core/Webhooks"
import { demoSeed } from "@bullseye-partner/sandbox/SeedOption"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { keys, startApp } from "../support/TestApp.js"

describe("Webhooks", () => {
  layer(SandboxTest.layer({ seed: demoSeed({ organizations: 3, visitorsPerOrg: 2 }) }), {
    excludeTestServices: true,
    timeout: 60_000
  })((it) => {
    it.effect("edits a channel, shows typed errors, the logs, and live deliveries in listen mode", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const app = startApp(sandbox)
          try {
            await app.waitFor("SANDBOX")
            await app.press("4")
            await app.waitFor(["Webhooks", "identification", "billing", "disabled"])

            await app.press("t")
            await app.waitFor("Set a URL before enabling the channel or sending a test")

            await app.press("e")
            await app.waitFor("Edit the identification channel")
            await app.type("https://hooks.example.com/bullseye")
            await app.press(keys.tab)
            await app.type("supersecret1")
            await app.press(keys.tab, keys.backspace, keys.backspace)
            await app.type("yes")
            await app.press(keys.enter)
            await app.waitFor("Saved the identification channel")
            const saved = await app.sdk(Effect.flatMap(Webhooks, (w) => w.get()))
            expect(saved.identification).toEqual({
              url: "https://hooks.example.com/bullseye",
              enabled: true,
              hasSecret: true
            })

            await app.press("l")
            await app.waitFor(["Delivery logs", "deliveries"])
            await app.press(keys.esc)
            await app.waitFor("↑↓ channel")

            await app.press("L")
            await app.waitFor("Receiving on http://127.0.0.1:")
            const listening = await app.sdk(Effect.flatMap(Webhooks, (w) => w.get()))
            expect(listening.identification.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
            await app.press("s")
            await app.waitFor("✓ signature ok visitor.identified", 20_000)
            await app.press(keys.esc)
            await app.waitFor("↑↓ channel")
            await new Promise((resolve) => setTimeout(resolve, 300))
            const restored = await app.sdk(Effect.flatMap(Webhooks, (w) => w.get()))
            expect(restored.identification.url).toBe("https://hooks.example.com/bullseye")

            // Quitting while listening also points the channel back.
            await app.press("L")
            await app.waitFor("Receiving on http://127.0.0.1:")
            expect((await app.sdk(Effect.flatMap(Webhooks, (w) => w.get()))).identification.url).toMatch(
              /^http:\/\/127\.0\.0\.1:/
            )
          } finally {
            await app.close()
          }
          const afterQuit = startApp(sandbox)
          try {
            const channels = await afterQuit.sdk(Effect.flatMap(Webhooks, (w) => w.get()))
            expect(channels.identification.url).toBe("https://hooks.example.com/bullseye")
          } finally {
            await afterQuit.close()
          }
        })
      })
    )
  })
})
