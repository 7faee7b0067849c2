import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { runCli, tempDir } from "./support/cli.js"

describe("Connection", () => {
  it.live(
    "with no key configured, embeds a persistent sandbox, keeps its key in a 0600 file and never prints it",
    () =>
      Effect.gen(function* () {
        const dir = tempDir()
        const env = { HOME: dir, XDG_DATA_HOME: join(dir, "data"), XDG_CONFIG_HOME: join(dir, "config") }
        const first = yield* runCli(["orgs", "list", "--json"], env)
        expect(first.code, first.err).toBe(0)
        expect(first.err).toContain("No API key configured: using the embedded sandbox")
        const keyFile = join(dir, "data", "bullseye-partner", "sandbox.key")
        const key = readFileSync(keyFile, "utf8").trim()
        expect(statSync(keyFile).mode & 0o777).toBe(0o600)
        expect(first.out + first.err).not.toContain(key)
        const demo = JSON.parse(first.out) as ReadonlyArray<unknown>
        expect(demo.length).toBeGreaterThan(0)

        // A later run finds the store and the key again, with the same data.
        const created = yield* runCli(
          ["orgs", "create", "--name", "Kept", "--external-id", "kept-1", "--json"],
          env
        )
        expect(created.code, created.err).toBe(0)
        const second = yield* runCli(["orgs", "list", "--json"], env)
        expect(JSON.parse(second.out)).toHaveLength(demo.length + 1)
        expect(second.out + second.err).not.toContain(key)

        // A key that no longer works (revoked, say, from the TUI that shares the store) is replaced.
        writeFileSync(keyFile, "pk_test_no-longer-valid\n", { mode: 0o600 })
        const third = yield* runCli(["orgs", "list", "--json"], env)
        expect(third.code, third.err).toBe(0)
        expect(JSON.parse(third.out)).toHaveLength(demo.length + 1)
        const replaced = readFileSync(keyFile, "utf8").trim()
        expect(replaced).toMatch(/^pk_test_\w{32}$/)
        expect(statSync(keyFile).mode & 0o777).toBe(0o600)
        expect(third.out + third.err).not.toContain(replaced)
      })
  )
})
