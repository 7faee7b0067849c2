// A partner's view of the packages: packed with pnpm, installed with plain npm in a project outside the
// repository, type-checked by that project's own tsc and run with plain node; the bins installed globally.
import { execFile, spawn, type ChildProcess } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { rm } from "node:fs/promises"
import { createRequire } from "node:module"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const repo = fileURLToPath(new URL("../../../", import.meta.url))
const packages = ["packages/core", "packages/sandbox", "apps/tui", "apps/runner"] as const
const bins = {
  "apps/runner": "bullseye-run",
  "apps/tui": "bullseye-tui",
  "packages/sandbox": "bullseye-sandbox"
}

const manifest = (dir: string) =>
  JSON.parse(readFileSync(join(repo, dir, "package.json"), "utf8")) as {
    readonly name: string
    readonly version: string
    readonly peerDependencies?: Record<string, string>
  }

// A partner's shell: none of the npm_* variables pnpm and turbo set for their scripts.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)))

const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: { cwd: string; env?: NodeJS.ProcessEnv }
) =>
  new Promise<string>((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: { ...cleanEnv, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error === null
          ? resolve(stdout)
          : reject(new Error(`${command} ${args.join(" ")} failed in ${options.cwd}:\n${stdout}\n${stderr}`))
    )
  })

const pnpm = (args: ReadonlyArray<string>, cwd: string) =>
  run("npx", ["--yes", "pnpm@10.34.8", ...args], { cwd, env: { TURBO_TELEMETRY_DISABLED: "1" } })

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()))
    })
  })

/** The first TypeScript block of the root README's "Using the SDK" section. */
const readmeExample = (): string => {
  const readme = readFileSync(join(repo, "README.md"), "utf8")
  const section = readme.slice(readme.indexOf("## Using the SDK"))
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1]
  if (block === undefined) throw new Error('README.md has no ```ts block under "## Using the SDK"')
  return block
}

/**
 * better-sqlite3 compiles from source when no prebuilt binary can be downloaded (about a minute per copy,
 * and a global install holds one copy per package). prebuild-install takes a local prebuild instead: the
 * binary the workspace already compiled, for the same version, Node ABI and platform.
 */
const localPrebuilds = async (dir: string) => {
  const addon = dirname(createRequire(import.meta.url).resolve("better-sqlite3/package.json"))
  const { version } = JSON.parse(readFileSync(join(addon, "package.json"), "utf8")) as { version: string }
  // On musl (and with another version) the name matches nothing and npm compiles as it would anyway.
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`
  mkdirSync(dir, { recursive: true })
  await run("tar", ["czf", join(dir, name), "-C", addon, "build/Release/better_sqlite3.node"], { cwd: dir })
  return `local-prebuilds=${dir}\n`
}

const npmInstall = (args: ReadonlyArray<string>, cwd: string, logs: string) =>
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--logs-dir", logs, ...args], { cwd })

describe("outside the repository", () => {
  const root = mkdtempSync(join(tmpdir(), "bullseye-outside-"))
  const packs = join(root, "packs")
  const consumer = join(root, "consumer")
  const global = join(root, "global")
  const tarballs: Record<string, string> = {}
  const children: Array<ChildProcess> = []
  const timings: Record<string, number> = {}

  const timed = async <A>(label: string, task: () => Promise<A>): Promise<A> => {
    const started = performance.now()
    try {
      return await task()
    } finally {
      timings[label] = Math.round(performance.now() - started)
    }
  }

  beforeAll(async () => {
    for (const dir of [packs, consumer, global]) mkdirSync(dir, { recursive: true })
    const rc = await localPrebuilds(join(root, "prebuilds"))
    writeFileSync(join(consumer, ".prebuild-installrc"), rc)
    writeFileSync(join(global, ".prebuild-installrc"), rc)

    // One pnpm for the four (each package's prepack builds it, in dependency order).
    await timed("pack", () =>
      pnpm(
        [
          "-r",
          ...packages.flatMap((dir) => ["--filter", manifest(dir).name]),
          "pack",
          "--pack-destination",
          packs
        ],
        repo
      )
    )
    for (const dir of packages) {
      const { name, version } = manifest(dir)
      tarballs[dir] = join(packs, `${name.replace("@", "").replace("/", "-")}-${version}.tgz`)
    }
    expect(readdirSync(packs).sort()).toEqual(
      Object.values(tarballs)
        .map((path) => path.slice(packs.length + 1))
        .sort()
    )

    // What a partner's project lists: the tarballs, the peers core asks for, its own TypeScript.
    const peers = Object.entries(manifest("packages/core").peerDependencies ?? {}).map(
      ([name, range]) => `${name}@${range}`
    )
    writeFileSync(
      join(consumer, "package.json"),
      // npm 11 runs a dependency's install script only when the project allows it; the two optional native
      // speed-ups are declined, so that npm has nothing left to ask about.
      JSON.stringify({
        name: "partner-project",
        private: true,
        type: "module",
        allowScripts: { "better-sqlite3": true, "@parcel/watcher": false, "msgpackr-extract": false }
      })
    )
    await timed("install", () =>
      Promise.all([
        npmInstall(
          [
            tarballs["packages/core"]!,
            tarballs["packages/sandbox"]!,
            ...peers,
            "typescript@~5.9.3",
            "@types/node@^20.19.0"
          ],
          consumer,
          join(root, "logs")
        ),
        npmInstall(
          // The bins alone: core is not on the registry, and each bin must install without it.
          [
            "--global",
            "--prefix",
            global,
            "--allow-scripts=better-sqlite3",
            ...Object.entries(tarballs)
              .filter(([dir]) => dir !== "packages/core")
              .map(([, tarball]) => tarball)
          ],
          global,
          join(root, "logs")
        )
      ])
    )
  })

  afterAll(async () => {
    for (const child of children)
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM")
    // Asynchronous: hundreds of megabytes of node_modules would block the test worker for a long while.
    await rm(root, { recursive: true, force: true })
    process.stdout.write(`outside test timings (ms): ${JSON.stringify(timings)}\n`)
  })

  /** `npx bullseye-sandbox` in the partner's project, resolved once it listens. */
  const startSandbox = (args: ReadonlyArray<string>) =>
    new Promise<string>((resolve, reject) => {
      // A process group of its own: npx runs the bin in a child, which a signal to npx alone would leave running.
      const child = spawn("npx", ["bullseye-sandbox", ...args], {
        cwd: consumer,
        env: cleanEnv,
        detached: true
      })
      children.push(child)
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString()
        const url = /Sandbox listening on (\S+)/.exec(stdout)?.[1]
        if (url !== undefined && stdout.includes("Store: ")) resolve(url)
      })
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
      child.on("exit", (code) => reject(new Error(`bullseye-sandbox exited ${code}: ${stderr}`)))
    })

  it("the README's SDK example type-checks with the partner's own tsc and runs with plain node against the installed sandbox", async () => {
    const port = await freePort()
    const keyFile = join(root, "sandbox.key")
    const baseUrl = await timed("sandbox start", () =>
      startSandbox(["--db", ":memory:", "--port", String(port), "--seed", "empty", "--key-file", keyFile])
    )
    expect(baseUrl).toBe(`http://127.0.0.1:${port}/api/v1`)

    const example = readmeExample()
    const documentedUrl = "http://127.0.0.1:4100/api/v1"
    expect(example.split(documentedUrl)).toHaveLength(2)
    writeFileSync(join(consumer, "example.ts"), example.replace(documentedUrl, baseUrl))
    writeFileSync(join(consumer, "sandbox.test.ts"), consumerTest)
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          skipLibCheck: false,
          outDir: "out",
          types: ["node"]
        },
        files: ["example.ts", "sandbox.test.ts"]
      })
    )
    await timed("tsc", () =>
      run(join(consumer, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], { cwd: consumer })
    )

    const key = readFileSync(keyFile, "utf8").trim()
    await timed("example", () => run("node", ["out/example.js"], { cwd: consumer, env: { KEY: key } }))
    const listed = (await (
      await fetch(`${baseUrl}/partner/organizations`, { headers: { "X-Partner-API-Key": key } })
    ).json()) as { organizations: ReadonlyArray<{ name: string; externalId: string; credits: number }> }
    expect(
      listed.organizations.map(({ name, externalId, credits }) => ({ name, externalId, credits }))
    ).toEqual([{ name: "Acme", externalId: "acme-1", credits: 500 }])
  })

  it("SandboxTest serves the installed SDK in the partner's own tests (node --test)", async () => {
    // Compiled by the previous test's tsc run, with the example.
    const output = await timed("SandboxTest", () =>
      run("node", ["--test", "out/sandbox.test.js"], { cwd: consumer })
    )
    expect(output).toMatch(/# pass 1\n/)
    expect(output).toMatch(/# fail 0\n/)
  })

  it("the three bins install globally from their tarballs and answer --version", async () => {
    const answers = await Promise.all(
      Object.values(bins).map((bin) =>
        run(join(global, "bin", bin), ["--version"], { cwd: root }).then(
          // @effect/cli (the runner's) ends the line with an empty one.
          (stdout) => stdout.trim(),
          (error: Error) => error.message
        )
      )
    )
    expect(answers).toEqual(Object.keys(bins).map((dir) => manifest(dir).version))
  })
})

/** A test in the partner's project, as they would write it with the sandbox (node's own test runner). */
const consumerTest = `import { test } from "node:test"
import assert from "node:assert/strict"
import { Effect } from "effect"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { NotFound } from "@bullseye-partner/core/Errors"
import * as UndiciHttpClient from "@bullseye-partner/core/UndiciHttpClient"

test("ensure creates an organization once; a missing one is NotFound", async () => {
  const program = Effect.gen(function* () {
    const sandbox = yield* SandboxTest
    return yield* Effect.gen(function* () {
      const orgs = yield* Organizations
      const first = yield* orgs.ensure({ name: "Globex", externalId: "globex-1" })
      const second = yield* orgs.ensure({ name: "Globex", externalId: "globex-1" })
      const missing = yield* Effect.flip(orgs.get("00000000-0000-4000-8000-000000000000"))
      return { first, second, missing }
    }).pipe(
      Effect.provide(Organizations.Default),
      Effect.provide(PartnerClient.layer({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey })),
      Effect.provide(UndiciHttpClient.layer)
    )
  })
  const { first, second, missing } = await Effect.runPromise(
    program.pipe(Effect.provide(SandboxTest.layer()))
  )
  assert.deepEqual([first.outcome, second.outcome], ["created", "existed"])
  assert.equal(second.organization.id, first.organization.id)
  assert.ok(missing instanceof NotFound, String(missing))
})
`
