import { spawnSync } from "node:child_process"
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { stripVTControlCharacters } from "node:util"
import { make as startSandbox } from "@bullseye-partner/sandbox/SandboxTest"
import { Effect, Exit, Redacted, Scope } from "effect"
import * as pty from "node-pty"
import { afterAll, describe, expect, it } from "vitest"

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const home = mkdtempSync(join(tmpdir(), "bullseye-tui-e2e-"))

afterAll(() => rmSync(home, { recursive: true, force: true }))

// Drops colour, cursor and screen-mode sequences so the output can be searched as text.
const plain = stripVTControlCharacters

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const bin = join(appDir, "bin", "bullseye-tui.js")
const env = {
  PATH: process.env["PATH"] ?? "",
  HOME: home,
  XDG_DATA_HOME: join(home, "data"),
  XDG_CONFIG_HOME: join(home, "config"),
  TERM: "xterm-256color"
}
const keyFile = join(home, "data", "bullseye-partner", "sandbox.key")

/** The binary in a pseudo-terminal, with its output searchable as plain text. */
const startTui = (
  args: ReadonlyArray<string> = [],
  extraEnv: Record<string, string> = {},
  size: { readonly cols: number; readonly rows: number } = { cols: 100, rows: 30 }
) => {
  const started = Date.now()
  const child = pty.spawn(process.execPath, [bin, ...args], {
    name: "xterm-256color",
    cols: size.cols,
    rows: size.rows,
    cwd: appDir,
    env: { ...env, ...extraEnv }
  })
  let output = ""
  let exitCode: number | undefined
  let mark = 0
  child.onData((data) => {
    output += data
  })
  child.onExit((e) => {
    exitCode = e.exitCode
  })
  const waitFor = async (text: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const at = plain(output).indexOf(text, mark)
      if (at >= 0) {
        mark = at
        await sleep(150)
        return
      }
      if (exitCode !== undefined)
        throw new Error(`exited (${exitCode}) before showing ${text}:\n${plain(output).slice(-2000)}`)
      await sleep(50)
    }
    throw new Error(
      `Timed out waiting for ${JSON.stringify(text)}; output tail:\n${plain(output).slice(-2500)}`
    )
  }
  const press = async (...keys: ReadonlyArray<string>) => {
    for (const key of keys) {
      child.write(key)
      await sleep(60)
    }
  }
  const quit = async () => {
    await press("q")
    const deadline = Date.now() + 10_000
    while (exitCode === undefined && Date.now() < deadline) await sleep(50)
    return exitCode
  }
  const kill = () => {
    if (exitCode === undefined) child.kill()
  }
  const exited = async () => exitCode
  const text = () => plain(output)
  const raw = () => output
  const resize = (cols: number, rows: number) => child.resize(cols, rows)
  return { started, waitFor, press, quit, kill, exitCode: exited, text, raw, resize }
}

describe("bullseye-tui binary", () => {
  it("answers bad flags and an unknown profile with one actionable line", () => {
    const bogus = spawnSync(process.execPath, [bin, "--bogus"], { env, encoding: "utf8", timeout: 20_000 })
    expect(bogus.status).toBe(2)
    expect(bogus.stderr.trim().split("\n")).toHaveLength(1)
    expect(bogus.stderr).toContain("(see bullseye-tui --help)")
    const profile = spawnSync(process.execPath, [bin, "--profile", "nope"], {
      env,
      encoding: "utf8",
      timeout: 20_000
    })
    expect(profile.status).toBe(1)
    expect(profile.stderr.trim().split("\n")).toHaveLength(1)
    expect(profile.stderr).toContain('Unknown profile "nope"')
    const help = spawnSync(process.execPath, [bin, "--help"], { env, encoding: "utf8", timeout: 20_000 })
    expect(help.status).toBe(0)
    expect(help.stdout).toContain("--read-only")
    // The bundle ran: the fallback to the sources would have said so on stderr.
    expect(help.stderr).toBe("")
  })

  it("runs dist/ as it is where the package has no sources (installed from its tarball)", () => {
    // What a packed package holds: the bin and dist/; no sources, no shared scripts, no tsx beside it.
    const installed = mkdtempSync(join(tmpdir(), "bullseye-tui-installed-"))
    try {
      mkdirSync(join(installed, "bin"))
      copyFileSync(bin, join(installed, "bin", "bullseye-tui.js"))
      symlinkSync(join(appDir, "dist"), join(installed, "dist"))
      writeFileSync(join(installed, "package.json"), '{ "type": "module" }\n')
      const help = spawnSync(process.execPath, [join(installed, "bin", "bullseye-tui.js"), "--help"], {
        env,
        encoding: "utf8",
        timeout: 30_000
      })
      expect(help.status).toBe(0)
      expect(help.stdout).toContain("--read-only")
      expect(help.stderr).toBe("")
    } finally {
      rmSync(installed, { recursive: true, force: true })
    }
  })

  it(
    "starts the embedded sandbox, finds an organization and allocates it credits",
    { timeout: 90_000 },
    async () => {
      const tui = startTui()
      try {
        await tui.waitFor("SANDBOX")
        await tui.waitFor("total 100,000")
        const firstDataFrameMs = Date.now() - tui.started
        process.stdout.write(`bullseye-tui: first data frame after ${firstDataFrameMs} ms (first start)\n`)
        expect(firstDataFrameMs).toBeLessThan(30_000)

        await tui.press("2")
        await tui.waitFor("shown of")
        await tui.press("/", ..."Acme".split(""), "\r")
        await tui.waitFor("Acme Corp")
        await tui.press("\r")
        await tui.waitFor("Tab/←→ switch")
        await tui.press("\u001B[C")
        await tui.waitFor("Partner pool")
        await tui.press("a")
        await tui.waitFor("Set the allocation")
        await tui.press(...Array.from({ length: 10 }, () => "\u007F"), ..."4321".split(""), "\r", "\r")
        await tui.waitFor("Set the allocation of Acme Corp from")
        await tui.press("y")
        await tui.waitFor("Allocation of Acme Corp set to 4,321")
        await tui.waitFor("allocated 4,321")
        expect(statSync(keyFile).mode & 0o777).toBe(0o600)
        expect(await tui.quit()).toBe(0)
      } finally {
        tui.kill()
      }
    }
  )

  it("starts again on the same store with the saved key", { timeout: 60_000 }, async () => {
    const key = readFileSync(keyFile, "utf8")
    const tui = startTui()
    try {
      await tui.waitFor("total 100,000")
      process.stdout.write(
        `bullseye-tui: first data frame after ${Date.now() - tui.started} ms (later start)\n`
      )
      // What the sandbox serves from the bundle besides the API: the OpenAPI document and its reference.
      const origin = /SANDBOX\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(tui.text())?.[1]
      expect(origin).toBeDefined()
      const openapi = await fetch(`${origin}/openapi.json`)
      expect(openapi.status).toBe(200)
      expect(((await openapi.json()) as { paths: object }).paths).toHaveProperty(["/partner/me"])
      const docs = await fetch(`${origin}/docs`)
      expect(docs.status).toBe(200)
      expect(await docs.text()).toContain("/partner/organizations")
      await tui.press("2")
      await tui.waitFor("/4,321")
      expect(await tui.quit()).toBe(0)
      expect(readFileSync(keyFile, "utf8")).toBe(key)
    } finally {
      tui.kill()
    }
  })

  it(
    "colours unless NO_COLOR is set, fits 80x24 and redraws to a new size",
    { timeout: 60_000 },
    async () => {
      // Whether the output sets a colour: an SGR sequence (ESC [ ... m) with a foreground or background
      // parameter (30-49, 90-107). Bold, underline and inverse are not colours and stay.
      const colours = (raw: string) =>
        // eslint-disable-next-line no-control-regex
        [...raw.matchAll(/\u001B\[([0-9;]*)m/g)].some((m) =>
          (m[1] ?? "").split(";").some((p) => {
            const n = Number(p)
            return p !== "" && ((n >= 30 && n <= 49) || (n >= 90 && n <= 107))
          })
        )
      const statusLine = (text: string) =>
        text
          .split(/\r?\n/)
          .filter((line) => line.includes(" SANDBOX ") && /rate \d/.test(line))
          .at(-1)
      const coloured = startTui([], {}, { cols: 80, rows: 24 })
      try {
        await coloured.waitFor("total 100,000")
        expect(colours(coloured.raw())).toBe(true)
        expect(await coloured.quit()).toBe(0)
      } finally {
        coloured.kill()
      }

      const tui = startTui([], { NO_COLOR: "1" }, { cols: 80, rows: 24 })
      try {
        await tui.waitFor("total 100,000")
        await tui.press("2")
        await tui.waitFor("Acme Corp")
        await tui.waitFor("/1000 ↻") // the rate meter, the right end of the status line
        expect(colours(tui.raw())).toBe(false)
        const at80 = statusLine(tui.text())
        expect(at80?.trimEnd().length).toBeGreaterThan(60)
        expect(at80?.length).toBeLessThanOrEqual(80)
        // Wider: the next frame (the status bar is right-aligned) uses the new width.
        const from = tui.raw().length
        tui.resize(120, 30)
        await sleep(500)
        await tui.press("1")
        await tui.waitFor("total 100,000")
        const at120 = statusLine(plain(tui.raw().slice(from)))
        expect(at120?.trimEnd().length).toBeGreaterThan(100)
        expect(at120?.length).toBeLessThanOrEqual(120)
        expect(colours(tui.raw())).toBe(false)
        expect(await tui.quit()).toBe(0)
      } finally {
        tui.kill()
      }
    }
  )

  it(
    "works against a configured API (BULLSEYE_API_KEY/BULLSEYE_BASE_URL) and honours --read-only",
    { timeout: 60_000 },
    async () => {
      const scope = Effect.runSync(Scope.make())
      const sandbox = await Effect.runPromise(startSandbox().pipe(Scope.extend(scope)))
      const tui = startTui(["--read-only"], {
        BULLSEYE_API_KEY: Redacted.value(sandbox.apiKey),
        BULLSEYE_BASE_URL: sandbox.baseUrl
      })
      try {
        await tui.waitFor("READ-ONLY")
        await tui.waitFor("total 100,000")
        await tui.press("3")
        await tui.waitFor("Bootstrap key")
        await tui.press("n")
        await tui.waitFor("Unavailable: create a key needs the admin scope (--read-only)")
        expect(await tui.quit()).toBe(0)

        const refused = startTui([], {
          BULLSEYE_API_KEY: "pk_test_wrong",
          BULLSEYE_BASE_URL: sandbox.baseUrl
        })
        try {
          await refused.waitFor("The API key was refused (invalid, revoked or expired)")
          const deadline = Date.now() + 10_000
          while (Date.now() < deadline && (await refused.exitCode()) === undefined) await sleep(50)
          expect(await refused.exitCode()).toBe(1)
        } finally {
          refused.kill()
        }
      } finally {
        tui.kill()
        await Effect.runPromise(Scope.close(scope, Exit.void))
      }
    }
  )
})
