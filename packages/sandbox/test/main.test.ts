import { describe, expect, it } from "@effect/vitest"
import { execFileSync, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const bin = new URL("../bin/bullseye-sandbox.js", import.meta.url).pathname

const run = (args: ReadonlyArray<string>) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("exit", (status) => resolve({ status, stdout, stderr }))
  })

/** Starts the CLI and resolves once it printed `until` (by default, all its start-up lines). */
const start = (args: ReadonlyArray<string>, until = "Store: ") =>
  new Promise<{ stdout: () => string; stop: () => Promise<number | null> }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)))
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.includes(until)) {
        resolve({
          stdout: () => stdout,
          stop: () => {
            child.kill("SIGTERM")
            return exited
          }
        })
      }
    })
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)))
  })

describe("bullseye-sandbox", () => {
  it("--help prints the options and exits 0", async () => {
    const result = await run(["--help"])
    expect(result.status).toBe(0)
    for (const flag of [
      "--port",
      "--host",
      "--db",
      "--seed",
      "--organizations",
      "--visitors-per-org",
      "--rate-limit",
      "--rate-window",
      "--key-file",
      "--new-key",
      "--faults",
      "--webhook-time-scale",
      "--dns"
    ]) {
      expect(result.stdout).toContain(flag)
    }
  })

  it("--version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string
    }
    const result = await run(["--version"])
    expect([result.status, result.stdout]).toEqual([0, `${version}\n`])
  })

  it("--completions bash completes flags and their fixed values; zsh and fish get scripts of their own", async () => {
    const bash = await run(["--completions", "bash"])
    expect(bash.status).toBe(0)
    // What bash offers after `bullseye-sandbox --s` and after `bullseye-sandbox --seed `.
    const complete = (...words: ReadonlyArray<string>) =>
      execFileSync(
        "bash",
        [
          "-c",
          `eval "$SCRIPT"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _bullseye_sandbox; echo "\${COMPREPLY[*]}"`
        ],
        { env: { ...process.env, SCRIPT: bash.stdout }, encoding: "utf8" }
      ).trim()
    expect(complete("bullseye-sandbox", "--s")).toBe("--seed")
    expect(complete("bullseye-sandbox", "--seed", "")).toBe("demo empty")
    expect(complete("bullseye-sandbox", "--port", "")).toBe("")
    expect(complete("bullseye-sandbox", "--ver")).toBe("--version")
    const [zsh, fish, other] = await Promise.all([
      run(["--completions", "zsh"]),
      run(["--completions", "fish"]),
      run(["--completions", "ksh"])
    ])
    expect(zsh.stdout).toMatch(/^#compdef bullseye-sandbox\n/)
    expect(zsh.stdout).toContain("'--seed[what a first start on an empty store creates]:seed:(demo empty)'")
    expect(fish.stdout).toContain("complete -c bullseye-sandbox -l dns -x -a 'simulated system'")
    expect([other.status, other.stderr]).toEqual([
      2,
      'Error: --completions must be bash, zsh or fish (got "ksh") (see bullseye-sandbox --help)\n'
    ])
  })

  it("on an existing store names the key file the TUI or the runner left beside it, while it holds a working key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bullseye-cli-"))
    const db = join(dir, "sandbox.db")
    const beside = join(dir, "sandbox.key")
    const first = await start(["--port", "0", "--db", db, "--key-file", beside, "--seed", "empty"])
    const key = readFileSync(beside, "utf8").trim()
    expect(await first.stop()).toBe(0)

    const second = await start(["--port", "0", "--db", db])
    expect(second.stdout()).toContain(`API key: in ${beside} (start with --new-key to issue another)`)
    expect(second.stdout()).not.toContain(key)
    expect(await second.stop()).toBe(0)

    writeFileSync(beside, "pk_test_revokedOrForeignKey000000000000\n", { mode: 0o600 })
    const third = await start(["--port", "0", "--db", db])
    expect(third.stdout()).toContain(
      "API key: shown once at this store's first start (start with --new-key to issue another)"
    )
    expect(third.stdout()).not.toContain(beside)
    expect(await third.stop()).toBe(0)
    rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  it("bad flags are one actionable line on stderr, exit 2, no stack trace", async () => {
    const cases = [
      ["--port", "70000"],
      ["--seed", "lots"],
      ["--bogus"],
      ["--webhook-time-scale", "-1"],
      ["--faults", "rate500=2"],
      ["--port"]
    ]
    const results = await Promise.all(cases.map(run))
    for (const [i, args] of cases.entries()) {
      const result = results[i]!
      expect([args, result.status]).toEqual([args, 2])
      const lines = result.stderr.trim().split("\n")
      expect([args, lines.length]).toEqual([args, 1])
      expect(lines[0]).toMatch(/^Error: .+ \(see bullseye-sandbox --help\)$/)
      expect(result.stderr).not.toContain("    at ")
    }
    const unreachable = await run(["--db", "postgres://nobody@127.0.0.1:1/none"])
    expect(unreachable.status).toBe(1)
    expect(unreachable.stderr.trim()).toBe("Error: Cannot connect to postgres://127.0.0.1:1/none")
  }, 60_000)

  it("starts, prints the listening line and the key once, writes 0600 files, stops on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bullseye-cli-"))
    const db = join(dir, "sandbox.db")
    const keyFile = join(dir, "secrets", "key")
    const first = await start(["--port", "0", "--db", db, "--key-file", keyFile, "--seed", "empty"])
    const lines = first.stdout().trim().split("\n")
    expect(lines.filter((l) => l.startsWith("Sandbox listening on"))).toEqual([lines[0]])
    expect(lines[0]).toMatch(/^Sandbox listening on http:\/\/127\.0\.0\.1:\d+\/api\/v1$/)
    const baseUrl = lines[0]!.replace("Sandbox listening on ", "")
    const key = readFileSync(keyFile, "utf8").trim()
    expect(lines.some((l) => l.includes(key) && /key/i.test(l))).toBe(true)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(statSync(`${keyFile}.sandbox-token`).mode & 0o777).toBe(0o600)
    const me = await fetch(`${baseUrl}/partner/me`, { headers: { "x-partner-api-key": key } })
    expect(me.status).toBe(200)
    const origin = baseUrl.replace("/api/v1", "")
    const openapi = (await (await fetch(`${origin}/openapi.json`)).json()) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(openapi.paths)).toContain("/partner/organizations")
    const docs = await (await fetch(`${origin}/docs`)).text()
    expect(docs).toContain("/partner/organizations/{organizationId}/credits")
    expect(docs).not.toMatch(/<script[^>]+src=|cdn\./)
    expect(await first.stop()).toBe(0)

    const second = await start(["--port", "0", "--db", db])
    expect(second.stdout()).not.toContain("pk_test_")
    expect(second.stdout()).toContain("start with --new-key to issue another")
    expect(second.stdout().match(/Sandbox listening on/g)?.length).toBe(1)
    expect(await second.stop()).toBe(0)

    // A lost key: --new-key issues another full-access key for the same partner, shown once.
    // The files are complete by the time the listening line shows: a script may read them at once.
    const third = await start(
      ["--port", "0", "--db", db, "--new-key", "--key-file", keyFile],
      "Sandbox listening on"
    )
    const newKey = readFileSync(keyFile, "utf8").trim()
    expect(newKey).toMatch(/^pk_test_\w{32}$/)
    expect(readFileSync(`${keyFile}.sandbox-token`, "utf8").trim()).toMatch(/^sbx_\w+$/)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(newKey).not.toBe(key)
    expect(third.stdout()).toContain(`New API key (shown once, stored only as a hash): ${newKey}`)
    const thirdUrl = third.stdout().split("\n")[0]!.replace("Sandbox listening on ", "")
    const again = await fetch(`${thirdUrl}/partner/me`, { headers: { "x-partner-api-key": newKey } })
    const meBefore = (await me.json()) as { partner: { id: string } }
    expect(((await again.json()) as { partner: { id: string } }).partner.id).toBe(meBefore.partner.id)
    const keys = await fetch(`${thirdUrl}/partner/api-keys`, { headers: { "x-partner-api-key": newKey } })
    expect(((await keys.json()) as { apiKeys: ReadonlyArray<unknown> }).apiKeys).toHaveLength(2)
    expect(await third.stop()).toBe(0)
    rmSync(dir, { recursive: true, force: true })
  }, 60_000)
})
