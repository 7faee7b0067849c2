import { ApiKeys } from "@bullseye-partner/core/ApiKeys"
import { PartnerAccount } from "@bullseye-partner/core/PartnerAccount"
import { Effect, Layer, ManagedRuntime } from "effect"
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { fromConnectionLayer, silentLogging } from "../src/AppLayer.js"
import { keyFile } from "@bullseye-partner/sandbox/DataDirectory"
import { layer } from "../src/EmbeddedSandbox.js"
import { Session } from "../src/Session.js"

const dataDir = join(mkdtempSync(join(tmpdir(), "bullseye-tui-embedded-")), "bullseye-partner")
afterAll(() => rmSync(join(dataDir, ".."), { recursive: true, force: true }))

const start = () =>
  ManagedRuntime.make(
    fromConnectionLayer(layer({ dataDir, readOnly: false })).pipe(Layer.provide(silentLogging))
  )

describe("the embedded sandbox", () => {
  it(
    "keeps the bootstrap key in a 0600 key file and replaces a revoked one on the next start",
    { timeout: 60_000 },
    async () => {
      const first = start()
      try {
        const session = await first.runPromise(Session)
        expect(session.mode).toBe("sandbox")
        expect(session.sandboxControl).toBeDefined()
        expect((await first.runPromise(Effect.flatMap(PartnerAccount, (p) => p.me()))).name).toBe(
          "Demo Partner"
        )
        expect(statSync(keyFile(dataDir)).mode & 0o777).toBe(0o600)
        const keys = await first.runPromise(Effect.flatMap(ApiKeys, (k) => k.list()))
        const own = keys.find((k) => k.keyPrefix === session.keyPrefix)
        if (own === undefined) throw new Error("the key in use is not listed")
        await first.runPromise(Effect.flatMap(ApiKeys, (k) => k.revoke(own.id)))
      } finally {
        await first.dispose()
      }
      const revokedKey = readFileSync(keyFile(dataDir), "utf8")

      const second = start()
      try {
        expect((await second.runPromise(Effect.flatMap(PartnerAccount, (p) => p.me()))).name).toBe(
          "Demo Partner"
        )
        expect(readFileSync(keyFile(dataDir), "utf8")).not.toBe(revokedKey)
      } finally {
        await second.dispose()
      }

      const third = start()
      try {
        const before = readFileSync(keyFile(dataDir), "utf8")
        await third.runPromise(Effect.flatMap(PartnerAccount, (p) => p.me()))
        expect(readFileSync(keyFile(dataDir), "utf8")).toBe(before)
      } finally {
        await third.dispose()
      }
    }
  )
})
