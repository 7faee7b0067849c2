import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { runCli, sandboxEnv, tempDir } from "../support/cli.js"

const parsed = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>

describe("one-off commands", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), { excludeTestServices: true })((it) => {
    it.effect("cover organizations, ICP configs and the partner-level groups, with --json", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const dir = tempDir()
        const env = sandboxEnv(sandbox, dir)
        const cli = (...args: ReadonlyArray<string>) => runCli(args, env)

        const created = yield* cli(
          "orgs",
          "create",
          "--name",
          "One Off",
          "--external-id",
          "one-1",
          "--tier",
          "paid",
          "--json"
        )
        expect(created.code, created.err).toBe(0)
        const org = parsed(created.out)
        // With --external-id the create is exactly-once: the same organization comes back.
        const again = yield* cli("orgs", "create", "--name", "One Off", "--external-id", "one-1", "--json")
        expect(parsed(again.out)["id"]).toBe(org["id"])
        const id = String(org["id"])
        expect(
          parsed((yield* cli("orgs", "credits", id, "250", "--notes", "hi", "--json")).out)[
            "creditsAllocated"
          ]
        ).toBe(250)
        expect(parsed((yield* cli("orgs", "status", id, "suspended", "--json")).out)["status"]).toBe(
          "suspended"
        )
        expect(parsed((yield* cli("orgs", "tier", id, "trial", "--json")).out)["tier"]).toBe("trial")
        const updated = yield* cli("orgs", "update", id, "--metadata", '{"plan":"gold"}', "--json")
        expect(parsed(updated.out)["metadata"]).toEqual({ plan: "gold" })
        const listed = yield* cli("orgs", "list", "--external-id", "one-1", "--json")
        expect(JSON.parse(listed.out)).toHaveLength(1)
        expect(parsed((yield* cli("orgs", "get", id, "--json")).out)["name"]).toBe("One Off")

        writeFileSync(
          join(dir, "rules.yaml"),
          "groups:\n  - operator: AND\n    conditions: [{ type: country, comparator: eq, value: US }]\n"
        )
        const icp = yield* cli(
          "icp",
          "create",
          id,
          "--name",
          "US",
          "--rules",
          join(dir, "rules.yaml"),
          "--json"
        )
        expect(icp.code, icp.err).toBe(0)
        const configId = String(parsed(icp.out)["id"])
        expect(
          parsed((yield* cli("icp", "update", id, configId, "--active", "false", "--json")).out)["active"]
        ).toBe(false)
        expect(JSON.parse((yield* cli("icp", "list", id, "--json")).out)).toHaveLength(1)
        expect((yield* cli("icp", "delete", id, configId, "--yes", "--json")).code).toBe(0)

        expect(parsed((yield* cli("me", "--json")).out)["name"]).toBeTypeOf("string")
        expect(Array.isArray(JSON.parse((yield* cli("keys", "list", "--json")).out))).toBe(true)
        expect(parsed((yield* cli("billing", "info", "--json")).out)["creditPoolTotal"]).toBeTypeOf("number")
        expect(parsed((yield* cli("billing", "calculate", "1000", "--json")).out)["usage"]).toBe(1000)
        expect(parsed((yield* cli("analytics", "get", "--json")).out)).toHaveProperty("totalOrganizations")
        expect(parsed((yield* cli("webhooks", "get", "--json")).out)).toHaveProperty("billing")
        expect(parsed((yield* cli("domain", "set", "track.example.com", "--json")).out)["domain"]).toBe(
          "track.example.com"
        )
        expect(
          parsed((yield* cli("branding", "--primary-color", "#112233", "--json")).out)["primaryColor"]
        ).toBe("#112233")

        const missing = yield* cli("orgs", "get", "nope", "--json")
        expect(missing.code).toBe(1)
        expect(missing.err).toContain("(NotFound)")
        expect((yield* cli("orgs", "delete", id, "--yes", "--json")).code).toBe(0)
        expect(parsed((yield* cli("orgs", "get", id, "--json")).out)["status"]).toBe("canceled")
      })
    )

    it.effect("destructive commands ask first: without a terminal they need --yes and change nothing", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const dir = tempDir()
        const env = sandboxEnv(sandbox, dir)
        const cli = (...args: ReadonlyArray<string>) => runCli(args, env)
        const org = parsed((yield* cli("orgs", "create", "--name", "Keep Me", "--json")).out)
        const id = String(org["id"])
        writeFileSync(
          join(dir, "rules.yaml"),
          "groups:\n  - operator: AND\n    conditions: [{ type: country, comparator: eq, value: US }]\n"
        )
        const icp = parsed(
          (yield* cli("icp", "create", id, "--name", "US", "--rules", join(dir, "rules.yaml"), "--json")).out
        )
        const key = parsed((yield* cli("keys", "create", "--name", "temp", "--scope", "read", "--json")).out)

        for (const [args, action] of [
          [["orgs", "delete", id], "cancel it"],
          [["icp", "delete", id, String(icp["id"])], "delete it"],
          [["keys", "revoke", String(key["id"])], "revoke it"]
        ] as const) {
          const refused = yield* cli(...args)
          expect([args.join(" "), refused.code]).toEqual([args.join(" "), 1])
          expect(refused.err.trim().split("\n").at(-1)).toBe(
            `Error: Not a terminal: pass --yes to ${action} without confirmation`
          )
        }
        expect(parsed((yield* cli("orgs", "get", id, "--json")).out)["status"]).toBe("active")
        expect(JSON.parse((yield* cli("icp", "list", id, "--json")).out)).toHaveLength(1)
        const keys = JSON.parse((yield* cli("keys", "list", "--json")).out) as ReadonlyArray<{
          id: string
          status: string
        }>
        expect(keys.find((k) => k.id === key["id"])?.status).toBe("active")
        expect((yield* cli("keys", "revoke", String(key["id"]), "--yes", "--json")).code).toBe(0)
      })
    )
  })
})
