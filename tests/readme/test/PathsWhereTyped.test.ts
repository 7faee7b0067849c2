import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { freePort, freshEnv, makeScratch, mirror } from "./support/Scratch.js"
import { run, start, transcript } from "./support/Shell.js"

// The README's `pnpm ...` commands typed in a folder below the repository root: the paths they are given resolve
// in that folder (not in the root, where pnpm runs root scripts, nor in the package), and pnpm's `--` is ignored.

const root = fileURLToPath(new URL("../../../", import.meta.url))
const scratch = makeScratch()
const here = join(mirror(root, join(scratch.dir, "clone")), "work")
mkdirSync(here)
const place = { cwd: here, env: freshEnv(scratch) }

afterAll(() => scratch.remove())

describe("paths typed in a subfolder of the clone", () => {
  it.concurrent("pnpm sandbox -- --key-file key writes ./key where it was typed", async () => {
    const port = await freePort()
    const sandbox = await start(
      `npx --yes pnpm@10.34.8 sandbox -- --port ${port} --db :memory: --seed empty --key-file key`,
      place,
      /API reference: http\S+\/docs\n/
    )
    try {
      expect(statSync(join(here, "key")).mode & 0o777).toBe(0o600)
      expect(existsSync(join(root, "key"))).toBe(false)
      expect(existsSync(join(root, "packages/sandbox/key"))).toBe(false)
    } finally {
      await sandbox.stop()
    }
  })

  it.concurrent(
    "pnpm exec bullseye-run -- plan spec.yaml --out plan.json reads and writes where it was typed",
    async () => {
      writeFileSync(
        join(here, "spec.yaml"),
        "select: { externalIds: [nobody-has-this-id] }\nactions:\n  - setTier: paid\n"
      )
      const finished = await run(
        "npx --yes pnpm@10.34.8 exec bullseye-run -- plan spec.yaml --out plan.json",
        place
      )
      expect(finished.code, transcript(finished)).toBe(0)
      expect(finished.out).toBe("No changes (0 organizations checked).\n")
      expect(JSON.parse(readFileSync(join(here, "plan.json"), "utf8"))).toMatchObject({ steps: [] })
    }
  )
})
