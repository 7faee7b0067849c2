import { ApiKeys } from "@bullseye-partner/core/ApiKeys"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { keys, startApp } from "../support/TestApp.js"

describe("API keys", () => {
  layer(SandboxTest.layer(), { excludeTestServices: true, timeout: 30_000 })((it) => {
    it.effect("lists keys, creates one (shown once) and revokes it with a typed confirmation", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        yield* Effect.promise(async () => {
          const app = startApp(sandbox)
          try {
            await app.waitFor("SANDBOX")
            await app.press("3")
            await app.waitFor(["API keys", "* Bootstrap key", "active"])

            await app.press("n")
            await app.waitFor("Create an API key")
            await app.type("ci-bot")
            await app.press(keys.tab)
            await app.waitFor("[x] read [ ] write [ ] admin")
            await app.press("a")
            await app.waitFor("[x] read [ ] write [x] admin")
            await app.press(keys.left, " ")
            await app.waitFor("[x] read [x] write [x] admin")
            await app.press(keys.right, " ")
            await app.waitFor("[x] read [x] write [ ] admin")
            await app.press(keys.tab)
            await app.type("30")
            await app.press(keys.enter)
            const shown = await app.waitFor("Copy it now")
            expect(shown).toMatch(/pk_test_[A-Za-z0-9]{32}/)
            const listed = await app.sdk(Effect.flatMap(ApiKeys, (k) => k.list()))
            const created = listed.find((k) => k.name === "ci-bot")
            expect(created?.scopes).toEqual(["read", "write"])
            expect(created?.expiresAt).not.toBeNull()
            await app.press(keys.enter)
            await app.waitFor((f) => !f.includes("Copy it now") && f.includes("ci-bot"))
            expect(app.frame()).not.toMatch(/pk_test_[A-Za-z0-9]{32}/)

            await app.press("x")
            await app.waitFor('Type "ci-bot"')
            expect(app.frame()).not.toContain("This is the key this TUI is using")
            await app.type("ci-bo")
            await app.press(keys.enter)
            await app.waitFor('Type "ci-bot"')
            await app.type("ci-bot")
            await app.press(keys.enter)
            await app.waitFor("Revoked ci-bot")
            const after = await app.sdk(Effect.flatMap(ApiKeys, (k) => k.list()))
            expect(after.find((k) => k.name === "ci-bot")?.status).toBe("revoked")

            await app.press(keys.down)
            await app.press("x")
            await app.waitFor("This is the key this TUI is using")
            await app.press(keys.esc)
            await app.waitFor((f) => !f.includes("This is the key this TUI is using"))
          } finally {
            await app.close()
          }
        })
      })
    )
  })
})
