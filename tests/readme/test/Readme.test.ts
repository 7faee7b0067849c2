import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { shellCommands } from "./support/Commands.js"
import { freePort, freshEnv, makeScratch, mirror, type Scratch } from "./support/Scratch.js"
import {
  type Answer,
  type Background,
  type Finished,
  run,
  runInTerminal,
  start,
  transcript
} from "./support/Shell.js"

// Every command of every ```sh block of the root README and of the runner's README runs here exactly as written,
// in README order, from a fresh copy of the README's folder (a folder of links to its entries, so what the
// commands write stays out of the repository), with XDG_DATA_HOME and XDG_CONFIG_HOME in a fresh temporary
// directory and no API key: the embedded sandbox answers. Two rewrites let it run beside anything else on the
// machine, and nothing else is changed: each port a command names (and the sandbox's default, 4100, when a
// command starts one without --port) becomes a free port, and `/tmp/` becomes a temporary directory. A command
// that no handler below matches fails the test, and so does a handler that matches nothing, so this list and the
// READMEs cannot drift apart.

const root = fileURLToPath(new URL("../../../", import.meta.url))
const sandboxDefaultPort = 4100

interface Context {
  readonly scratch: Scratch
  /** Where the commands run: the copy of the README's folder. */
  readonly cwd: string
  /** The free port that stands in for a port of the README. */
  readonly port: (readmePort: number) => number
}

type Handler =
  | { readonly kind: "elsewhere"; readonly match: RegExp; readonly coveredBy: string }
  | {
      readonly kind: "run"
      readonly match: RegExp
      readonly check: (finished: Finished, context: Context) => void | Promise<void>
    }
  | {
      readonly kind: "terminal"
      readonly match: RegExp
      readonly answers: ReadonlyArray<Answer>
      readonly check: (finished: Finished, context: Context) => void | Promise<void>
    }
  | {
      readonly kind: "background"
      readonly match: RegExp
      readonly ready: RegExp
      readonly check: (output: string, context: Context) => void | Promise<void>
    }

interface Readme {
  readonly file: string
  /** Folders put first on PATH, as an installed binary would be. */
  readonly path: (scratch: Scratch) => ReadonlyArray<string>
  readonly handlers: ReadonlyArray<Handler>
}

const partnerMe = async (port: number, key: string) => {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/partner/me`, {
    headers: { "X-Partner-API-Key": key }
  })
  return { status: response.status, body: (await response.json()) as { partner?: { name?: string } } }
}

// The last line of the sandbox's start banner.
const listening = /API reference: http:\/\/127\.0\.0\.1:\d+\/docs\n/
const printedKey = (output: string) => /Bootstrap API key[^:\n]*: (pk_\w+)/.exec(output)?.[1]

interface PlanFile {
  readonly steps: ReadonlyArray<{ readonly action: { readonly _tag: string; readonly to?: unknown } }>
}
const readPlan = (context: Context): PlanFile =>
  JSON.parse(readFileSync(join(context.cwd, "plan.json"), "utf8")) as PlanFile

/** A plan of the credit top-up example: allocations set to 5,000 on the demo data's active paid organizations. */
const expectTopUpPlan = (finished: Finished, context: Context) => {
  expect(finished.code, transcript(finished)).toBe(2)
  expect(finished.err).toContain("No API key configured: using the embedded sandbox")
  expect(finished.err).toContain(join(context.scratch.dataHome, "bullseye-partner", "sandbox.db"))
  expect(finished.out).toMatch(/credits \d+ → 5000 \(Q1 top-up\)/)
  const plan = readPlan(context)
  expect(plan.steps.length).toBeGreaterThan(0)
  expect(plan.steps.map((s) => [s.action._tag, s.action.to])).toEqual(
    plan.steps.map(() => ["allocateCredits", 5000])
  )
}

const confirmApply: ReadonlyArray<Answer> = [{ question: /Apply \d+ steps\?/, keys: "y" }]

const rootReadme: Readme = {
  file: "README.md",
  path: () => [],
  handlers: [
    {
      kind: "elsewhere",
      match: /^npx --yes pnpm@10\.34\.8 install && npx --yes pnpm@10\.34\.8 start$/,
      coveredBy:
        "install is the first half of the test command, which runs this test (.ci/run); start opens the TUI until it is " +
        "quit: its binary is driven in a terminal by apps/tui/test/e2e/Binary.test.ts, and bench/tui measures this command"
    },
    {
      kind: "elsewhere",
      match: /^npx --yes pnpm@10\.34\.8 install --frozen-lockfile && npx --yes pnpm@10\.34\.8 test$/,
      coveredBy: "the test command itself: .ci/run runs it, and this test is one of its tasks"
    },
    {
      kind: "background",
      match: /^npx --yes pnpm@10\.34\.8 sandbox$/,
      ready: listening,
      check: async (output, context) => {
        const port = context.port(sandboxDefaultPort)
        expect(output).toContain(`Sandbox listening on http://127.0.0.1:${port}/api/v1`)
        // The first start of a new store prints its key once; that key works.
        const key = printedKey(output)
        expect(key, output).toBeDefined()
        expect(await partnerMe(port, key!)).toMatchObject({
          status: 200,
          body: { partner: { name: "Demo Partner" } }
        })
        expect(existsSync(join(context.scratch.dataHome, "bullseye-partner", "sandbox.db"))).toBe(true)
      }
    },
    {
      kind: "background",
      match:
        /^npx --yes pnpm@10\.34\.8 sandbox -- --port 4200 --db :memory: --seed empty --key-file \/tmp\/key$/,
      ready: listening,
      check: (output, context) => {
        expect(output).toContain(`Sandbox listening on http://127.0.0.1:${context.port(4200)}/api/v1`)
        const keyFile = join(context.scratch.tmp, "key")
        expect(statSync(keyFile).mode & 0o777).toBe(0o600)
        expect(readFileSync(keyFile, "utf8").trim()).toBe(printedKey(output))
      }
    },
    {
      kind: "run",
      match:
        /^curl -H "X-Partner-API-Key: \$\(cat \/tmp\/key\)" http:\/\/127\.0\.0\.1:4200\/api\/v1\/partner\/me$/,
      check: (finished) => {
        expect(finished.code, transcript(finished)).toBe(0)
        expect(JSON.parse(finished.out)).toMatchObject({
          partner: { name: "Demo Partner", creditPoolTotal: 100_000, creditPoolUsed: 0 }
        })
      }
    },
    {
      kind: "run",
      match:
        /^npx --yes pnpm@10\.34\.8 exec bullseye-run plan apps\/runner\/examples\/credit-top-up\.yaml --out plan\.json$/,
      check: expectTopUpPlan
    },
    {
      kind: "terminal",
      match: /^npx --yes pnpm@10\.34\.8 exec bullseye-run apply plan\.json --report report\.ndjson$/,
      answers: confirmApply,
      check: (finished, context) => {
        expect(finished.code, transcript(finished)).toBe(0)
        const outcomes = readFileSync(join(context.cwd, "report.ndjson"), "utf8")
          .trim()
          .split("\n")
          .map((line) => (JSON.parse(line) as { outcome: string }).outcome)
        expect(outcomes).toEqual(readPlan(context).steps.map(() => "applied"))
        expect(finished.out).toMatch(/Run run-\S+: \d+ applied, 0 already satisfied, 0 drifted, 0 failed/)
      }
    },
    {
      kind: "elsewhere",
      match: /^npx --yes pnpm@10\.34\.8 bench$/,
      coveredBy:
        "it runs the benchmarks, for minutes against the real rate limit: measurements, not tests; the test command " +
        "type-checks and lints their code (package bench)"
    }
  ]
}

const runnerReadme: Readme = {
  file: "apps/runner/README.md",
  // `bullseye-run` as an installed binary: a link to the bin on PATH.
  path: (scratch) => {
    const bin = join(scratch.dir, "bin")
    mkdirSync(bin)
    symlinkSync(join(root, "apps/runner/bin/bullseye-run.js"), join(bin, "bullseye-run"))
    return [bin]
  },
  handlers: [
    {
      kind: "run",
      match: /^bullseye-run plan examples\/credit-top-up\.yaml --out plan\.json$/,
      check: expectTopUpPlan
    },
    {
      kind: "terminal",
      match: /^bullseye-run apply plan\.json --run-id q1-top-up --report report\.csv$/,
      answers: confirmApply,
      check: (finished, context) => {
        expect(finished.code, transcript(finished)).toBe(0)
        expect(finished.out).toContain("Run q1-top-up (resume with: bullseye-run resume q1-top-up)")
        const [header, ...rows] = readFileSync(join(context.cwd, "report.csv"), "utf8").trim().split("\n")
        expect(header).toBe("step,organizationId,externalId,organization,action,outcome,errorCode,message")
        expect(rows.map((row) => row.split(",")[5])).toEqual(readPlan(context).steps.map(() => "applied"))
      }
    },
    {
      kind: "run",
      match: /^bullseye-run doctor$/,
      check: (finished) => {
        expect(finished.code, transcript(finished)).toBe(0)
        expect(finished.out).toMatch(
          /^ok +organizations\.list \(GET \/partner\/organizations\): conforms \(200\)$/m
        )
        expect(finished.out).toMatch(/: 18 conform, 0 drift, 0 skipped, 0 failed \(\d+ requests\)/)
      }
    },
    {
      kind: "run",
      match: /^bullseye-run doctor --json$/,
      check: (finished) => {
        expect(finished.code, transcript(finished)).toBe(0)
        const report = JSON.parse(finished.out) as {
          readonly result: string
          readonly endpoints: ReadonlyArray<{ readonly outcome: string }>
        }
        expect(report.result).toBe("conforms")
        expect(report.endpoints.map((e) => e.outcome)).toEqual(report.endpoints.map(() => "conforms"))
      }
    },
    {
      kind: "run",
      match: /^bullseye-run resume q1-top-up$/,
      check: (finished, context) => {
        // Nothing was interrupted: resuming finds every step done and reports the whole run again.
        expect(finished.code, transcript(finished)).toBe(0)
        expect(finished.err).toContain("Resuming run q1-top-up")
        expect(finished.err).toMatch(/Run q1-top-up: \d+ applied, 0 already satisfied, 0 drifted, 0 failed/)
        const outcomes = finished.out
          .trim()
          .split("\n")
          .map((line) => (JSON.parse(line) as { outcome: string }).outcome)
        expect(outcomes).toEqual(readPlan(context).steps.map(() => "applied"))
      }
    }
  ]
}

/** The handler of each README command, and the commands no handler (or several) matched. */
const assign = (readme: Readme, commands: ReadonlyArray<string>) => {
  const unmatched: Array<string> = []
  const assigned: Array<Assigned> = []
  for (const command of commands) {
    const handlers = readme.handlers.filter((h) => h.match.test(command))
    if (handlers.length === 1) assigned.push({ command, handler: handlers[0]! })
    else unmatched.push(`${command} (${handlers.length} handlers)`)
  }
  const unused = readme.handlers
    .filter((h) => !assigned.some((a) => a.handler === h))
    .map((h) => String(h.match))
  return { assigned, unmatched, unused }
}

type Assigned<H extends Handler = Handler> = { readonly command: string; readonly handler: H }
type BackgroundHandler = Extract<Handler, { readonly kind: "background" }>

/**
 * The commands in order, with each run of consecutive background commands (servers, each on its own port and
 * store) as one stage started together: they are independent, and starting them one by one is most of the time.
 */
const stages = (assigned: ReadonlyArray<Assigned>) => {
  const result: Array<
    | { readonly _tag: "background"; readonly commands: Array<Assigned<BackgroundHandler>> }
    | { readonly _tag: "one"; readonly command: Assigned<Exclude<Handler, BackgroundHandler>> }
  > = []
  for (const { command, handler } of assigned) {
    const last = result.at(-1)
    if (handler.kind !== "background") result.push({ _tag: "one", command: { command, handler } })
    else if (last?._tag === "background") last.commands.push({ command, handler })
    else result.push({ _tag: "background", commands: [{ command, handler }] })
  }
  return result
}

// A sandbox started without --port listens on its default: naming it lets it be rewritten like any other port.
const withPort = (command: string, kind: Handler["kind"]) =>
  kind === "background" && !/--port /.test(command) ? `${command} --port ${sandboxDefaultPort}` : command

const portPattern = /(--port |127\.0\.0\.1:)(\d+)/g

const runReadme = async (readme: Readme) => {
  const commands = shellCommands(readFileSync(join(root, readme.file), "utf8"))
  const { assigned, unmatched, unused } = assign(readme, commands)
  expect(unmatched, `${readme.file}: commands without exactly one handler`).toEqual([])
  expect(unused, `${readme.file}: handlers of commands the README no longer has`).toEqual([])

  const scratch = makeScratch()
  const ports = new Map<number, number>()
  for (const { command, handler } of assigned)
    for (const [, , port] of withPort(command, handler.kind).matchAll(portPattern))
      if (!ports.has(Number(port))) ports.set(Number(port), await freePort())
  const context: Context = {
    scratch,
    cwd: mirror(join(root, readme.file, ".."), join(scratch.dir, "here")),
    port: (readmePort) => ports.get(readmePort) ?? readmePort
  }
  const place = { cwd: context.cwd, env: freshEnv(scratch, readme.path(scratch)) }
  const rewrite = (command: string, kind: Handler["kind"]) =>
    withPort(command, kind)
      .replace(portPattern, (_, prefix: string, port: string) => `${prefix}${context.port(Number(port))}`)
      .replace(/(^|[\s("'=])\/tmp\//g, (_, before: string) => `${before}${scratch.tmp}/`)

  const running: Array<Background> = []
  const printed: Array<string> = []
  try {
    for (const stage of stages(assigned)) {
      if (stage._tag === "background") {
        const started = await Promise.allSettled(
          stage.commands.map(({ command, handler }) =>
            start(rewrite(command, handler.kind), place, handler.ready)
          )
        )
        const servers = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []))
        running.push(...servers)
        const failed = started.find((result) => result.status === "rejected")
        if (failed !== undefined) throw failed.reason
        for (const [i, { handler }] of stage.commands.entries())
          await handler.check(servers[i]!.output(), context)
        continue
      }
      const { command, handler } = stage.command
      if (handler.kind === "elsewhere") continue
      const line = rewrite(command, handler.kind)
      const finished =
        handler.kind === "run" ? await run(line, place) : await runInTerminal(line, place, handler.answers)
      expect(`${finished.out}\n${finished.err}`, transcript(finished)).not.toMatch(
        /^\s+at .+:\d+:\d+\)?\r?$/m
      )
      printed.push(finished.out, finished.err)
      await handler.check(finished, context)
    }
    // Both READMEs run the runner on the embedded sandbox; the key it keeps for it is never printed.
    const keyFile = join(scratch.dataHome, "bullseye-partner", "sandbox.key")
    expect(printed.join("\n")).not.toContain(readFileSync(keyFile, "utf8").trim())
  } finally {
    await Promise.all(running.map((background) => background.stop()))
    scratch.remove()
  }
  return assigned
}

describe("the READMEs' shell commands, as written", () => {
  it.concurrent("README.md", async () => {
    const assigned = await runReadme(rootReadme)
    expect(assigned.filter((a) => a.handler.kind !== "elsewhere").length).toBeGreaterThan(0)
  })

  it.concurrent("apps/runner/README.md", async () => {
    const assigned = await runReadme(runnerReadme)
    expect(assigned.length).toBe(5)
  })

  it("extracts commands from sh blocks only, without comments, joining continued lines", () => {
    expect(
      shellCommands(
        [
          "```sh",
          "a --x   # a comment",
          "# a whole comment",
          "",
          "b \\",
          "  --y",
          "```",
          "```ts",
          "not(a, command)",
          "```",
          "```sh",
          'c "#not-a-comment"',
          "```"
        ].join("\n")
      )
    ).toEqual(["a --x", "b --y", 'c "#not-a-comment"'])
  })
})
