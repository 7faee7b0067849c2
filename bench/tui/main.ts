// TUI start and scrolling: the real bullseye-tui binary (its bundle) against an empty Ink app measured
// the same way in the same run. Every program runs as its own `node` process in a pseudo-terminal
// (node-pty), and times are taken when its output reaches this process.
//   (a) process start -> first frame with data (the dashboard's credit pool; the empty app's one line),
//       the TUI with its embedded sandbox on a fresh data directory and again on the same one;
//   (b) keypress -> frame showing it, pressing ↓ in a list of 10,000 organizations (a `bullseye-sandbox`
//       child filled through the API) and in the empty app (a key counter).
import * as pty from "node-pty"
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { stripVTControlCharacters } from "node:util"
import { machine, median, root, startSandbox } from "../support.js"

const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const keyPresses = Number(process.env.BENCH_KEYS ?? 200)
const organizationCount = Number(process.env.BENCH_ORGANIZATIONS ?? 10_000)
const pauseBetweenKeysMs = 50
const targets = { firstDataFrameMs: 1000, keyToFrameMs: 50 }

const tuiBin = join(root, "apps", "tui", "bin", "bullseye-tui.js")
const emptyApp = fileURLToPath(new URL("./empty-app.js", import.meta.url))
const work = mkdtempSync(join(tmpdir(), "bench-tui-"))

/** Terminal output without colour, cursor and screen-mode sequences. */
const plain = stripVTControlCharacters
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const down = "\u001B[B"

/** CPU time (user + system) a process has used so far, from /proc; undefined where there is none. */
const cpuMsOf = (pid: number): number | undefined => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return undefined
  }
}

/** A program in a pseudo-terminal whose output can be awaited. */
const startTerminal = (args: ReadonlyArray<string>, env: Record<string, string>) => {
  const startedAt = performance.now()
  const child = pty.spawn(process.execPath, [...args], {
    name: "xterm-256color",
    cols: 110,
    rows: 32,
    cwd: root,
    env: { PATH: process.env["PATH"] ?? "", TERM: "xterm-256color", ...env }
  })
  let output = ""
  let from = 0
  let exited = false
  let waiter: { test: (text: string) => boolean; resolve: (at: number) => void } | undefined
  child.onData((data) => {
    output += data
    if (waiter !== undefined && waiter.test(plain(output.slice(from)))) {
      const w = waiter
      waiter = undefined
      w.resolve(performance.now())
    }
  })
  child.onExit(() => {
    exited = true
  })
  return {
    startedAt,
    pid: child.pid,
    /** Later waits only look at output from here on. */
    mark: () => {
      from = output.length
    },
    /** Resolves with the time the output since the mark first passed `test`. */
    waitFor: (test: (text: string) => boolean, what: string, timeoutMs = 60_000) =>
      new Promise<number>((resolve, reject) => {
        if (test(plain(output.slice(from)))) return resolve(performance.now())
        const timer = setTimeout(() => {
          waiter = undefined
          reject(new Error(`timed out waiting for ${what}; output tail:\n${plain(output).slice(-1500)}`))
        }, timeoutMs)
        waiter = {
          test,
          resolve: (at) => {
            clearTimeout(timer)
            resolve(at)
          }
        }
      }),
    text: () => plain(output.slice(from)),
    write: (data: string) => {
      const at = performance.now()
      child.write(data)
      return at
    },
    quit: async () => {
      child.write("q")
      for (let i = 0; i < 100 && !exited; i++) await sleep(50)
      if (!exited) child.kill()
    }
  }
}

const contains = (needle: string) => (text: string) => text.includes(needle)

/** Time to the first frame that shows `needle`, and the CPU the process had used by then. */
const firstFrame = async (args: ReadonlyArray<string>, env: Record<string, string>, needle: string) => {
  const term = startTerminal(args, env)
  try {
    const at = await term.waitFor(contains(needle), needle)
    return { ms: at - term.startedAt, cpuMs: cpuMsOf(term.pid) }
  } finally {
    await term.quit()
  }
}

const quantile = (xs: ReadonlyArray<number>, q: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
}
const round1 = (x: number) => Math.round(x * 10) / 10
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100

/** Presses ↓ `keyPresses` times, one at a time, timing each until `changed` sees its frame. */
const keyLatencies = async (
  term: ReturnType<typeof startTerminal>,
  changed: (text: string, press: number) => boolean
) => {
  const latencies: Array<number> = []
  const cpuBefore = cpuMsOf(term.pid)
  for (let press = 1; press <= keyPresses; press++) {
    term.mark()
    const sent = term.write(down)
    const shown = await term.waitFor(
      (text) => changed(text, press),
      `the frame of key press ${press}`,
      10_000
    )
    latencies.push(shown - sent)
    await sleep(pauseBetweenKeysMs)
  }
  const cpuAfter = cpuMsOf(term.pid)
  // CPU per key press (with whatever else the program did meanwhile): less sensitive to load than latency.
  const cpuPerKeyMs =
    cpuBefore === undefined || cpuAfter === undefined ? null : round1((cpuAfter - cpuBefore) / keyPresses)
  return { latencies, cpuPerKeyMs }
}

/** A sandbox child on an in-memory store; its key stays in a 0600 file and is never printed. */
const startBenchSandbox = async () => {
  const { child, baseUrl, key } = await startSandbox(
    ["--db", ":memory:", "--seed", "empty", "--rate-limit", "1000000"],
    join(work, "sandbox.key")
  )
  // Never outlives the bench, whatever fails.
  process.once("exit", () => child.kill())
  return { baseUrl, apiKey: key, stop: () => child.kill() }
}

const orgName = (i: number) => `Bench Org ${String(i).padStart(5, "0")}`

const fillOrganizations = async (baseUrl: string, apiKey: string) => {
  let next = 0
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < organizationCount) {
        const i = next++
        const response = await fetch(`${baseUrl}/partner/organizations`, {
          method: "POST",
          headers: { "X-Partner-API-Key": apiKey, "content-type": "application/json" },
          body: JSON.stringify({ name: orgName(i), externalId: `bench-${i}` })
        })
        await response.text()
        if (response.status !== 201) throw new Error(`creating an organization answered ${response.status}`)
      }
    })
  )
}

const main = async () => {
  const loadBefore = loadavg()
  // The bundle must be what runs: the fallback to the sources says so on stderr.
  const help = spawnSync(process.execPath, [tuiBin, "--help"], { encoding: "utf8" })
  if (help.status !== 0 || help.stderr !== "") {
    throw new Error(
      `bullseye-tui does not run its bundle (${help.stderr.trim() || `exit ${help.status}`}); run: pnpm --filter @bullseye-partner/tui build`
    )
  }

  // (a) first frame with data, alternating the programs in each round.
  const start = { empty: [] as Array<number>, first: [] as Array<number>, later: [] as Array<number> }
  const cpu = { empty: [] as Array<number>, first: [] as Array<number>, later: [] as Array<number> }
  for (let round = 1; round <= rounds; round++) {
    const home = mkdtempSync(join(work, "home-"))
    const tuiEnv = {
      HOME: home,
      XDG_DATA_HOME: join(home, "data"),
      XDG_CONFIG_HOME: join(home, "config")
    }
    const empty = await firstFrame([emptyApp], { HOME: home, NODE_ENV: "production" }, "ready")
    const first = await firstFrame([tuiBin], tuiEnv, "total 100,000")
    const later = await firstFrame([tuiBin], tuiEnv, "total 100,000")
    for (const [k, r] of [
      ["empty", empty],
      ["first", first],
      ["later", later]
    ] as const) {
      start[k].push(r.ms)
      if (r.cpuMs !== undefined) cpu[k].push(r.cpuMs)
    }
    console.error(
      `round ${round}: empty Ink app ${empty.ms.toFixed(0)} ms; bullseye-tui first start ${first.ms.toFixed(0)} ms, later start ${later.ms.toFixed(0)} ms`
    )
  }

  // (b) scrolling 10,000 organizations.
  const sandbox = await startBenchSandbox()
  const filled = performance.now()
  await fillOrganizations(sandbox.baseUrl, sandbox.apiKey)
  console.error(
    `created ${organizationCount.toLocaleString("en-US")} organizations in ${((performance.now() - filled) / 1000).toFixed(1)} s`
  )
  const home = mkdtempSync(join(work, "home-"))
  const count = organizationCount.toLocaleString("en-US")
  const tui = startTerminal([tuiBin], {
    HOME: home,
    XDG_DATA_HOME: join(home, "data"),
    XDG_CONFIG_HOME: join(home, "config"),
    BULLSEYE_API_KEY: sandbox.apiKey,
    BULLSEYE_BASE_URL: sandbox.baseUrl
  })
  let tuiKeys: Awaited<ReturnType<typeof keyLatencies>>
  try {
    await tui.waitFor(contains("total 100,000"), "the dashboard")
    tui.mark()
    tui.write("2")
    await tui.waitFor(contains(`${count} shown of ${count} · status`), "every organization loaded")
    await sleep(500)
    const selected = (text: string) => [...text.matchAll(/> (Bench Org \d{5})/g)].at(-1)?.[1]
    let current = selected(tui.text())
    tuiKeys = await keyLatencies(tui, (text) => {
      const now = selected(text)
      if (now === undefined || now === current) return false
      current = now
      return true
    })
  } finally {
    await tui.quit()
    sandbox.stop()
  }
  const empty = startTerminal([emptyApp], { HOME: home, NODE_ENV: "production" })
  let emptyKeys: Awaited<ReturnType<typeof keyLatencies>>
  try {
    await empty.waitFor(contains("ready"), "the empty app")
    await sleep(500)
    emptyKeys = await keyLatencies(empty, (text, press) => text.includes(`key ${press}.`))
  } finally {
    await empty.quit()
  }
  rmSync(work, { recursive: true, force: true })

  const firstFrameResult = {
    emptyInkMs: Math.round(median(start.empty)),
    tuiFirstStartMs: Math.round(median(start.first)),
    tuiLaterStartMs: Math.round(median(start.later)),
    ratioFirstStart: ratio(median(start.first), median(start.empty)),
    ratioLaterStart: ratio(median(start.later), median(start.empty)),
    emptyInkCpuMs: cpu.empty.length > 0 ? Math.round(median(cpu.empty)) : null,
    tuiFirstStartCpuMs: cpu.first.length > 0 ? Math.round(median(cpu.first)) : null,
    tuiLaterStartCpuMs: cpu.later.length > 0 ? Math.round(median(cpu.later)) : null
  }
  const tuiLatencies = tuiKeys.latencies
  const emptyLatencies = emptyKeys.latencies
  const scrolling = {
    organizations: organizationCount,
    keyPresses,
    emptyInkP50Ms: round1(median(emptyLatencies)),
    emptyInkP95Ms: round1(quantile(emptyLatencies, 0.95)),
    tuiP50Ms: round1(median(tuiLatencies)),
    tuiP95Ms: round1(quantile(tuiLatencies, 0.95)),
    tuiMaxMs: round1(Math.max(...tuiLatencies)),
    ratioP50: ratio(median(tuiLatencies), median(emptyLatencies)),
    ratioP95: ratio(quantile(tuiLatencies, 0.95), quantile(emptyLatencies, 0.95)),
    emptyInkCpuPerKeyMs: emptyKeys.cpuPerKeyMs,
    tuiCpuPerKeyMs: tuiKeys.cpuPerKeyMs
  }
  const summary = {
    bench: "tui",
    date: new Date().toISOString(),
    machine: machine().machine,
    loadAverage: { before: loadBefore.map(round1), after: loadavg().map(round1) },
    rounds,
    firstFrame: firstFrameResult,
    scrolling,
    targets,
    met: {
      firstDataFrame:
        Math.max(firstFrameResult.tuiFirstStartMs, firstFrameResult.tuiLaterStartMs) <
        targets.firstDataFrameMs,
      scrolling: scrolling.tuiP95Ms < targets.keyToFrameMs
    }
  }
  console.log(
    `first frame with data (median of ${rounds}): bullseye-tui ${firstFrameResult.tuiFirstStartMs} ms on a fresh store, ` +
      `${firstFrameResult.tuiLaterStartMs} ms later; empty Ink app ${firstFrameResult.emptyInkMs} ms ` +
      `(${firstFrameResult.ratioFirstStart}x, ${firstFrameResult.ratioLaterStart}x)`
  )
  console.log(
    `key to frame, ↓ in ${count} organizations: bullseye-tui p50 ${scrolling.tuiP50Ms} ms, p95 ${scrolling.tuiP95Ms} ms; ` +
      `empty Ink app p50 ${scrolling.emptyInkP50Ms} ms, p95 ${scrolling.emptyInkP95Ms} ms (${scrolling.ratioP50}x, ${scrolling.ratioP95}x); ` +
      `CPU per key ${scrolling.tuiCpuPerKeyMs ?? "?"} ms vs ${scrolling.emptyInkCpuPerKeyMs ?? "?"} ms`
  )
  console.log(
    `targets: first data frame < ${targets.firstDataFrameMs} ms ${summary.met.firstDataFrame ? "met" : "MISSED"}, ` +
      `key to frame < ${targets.keyToFrameMs} ms (p95) ${summary.met.scrolling ? "met" : "MISSED"}; ` +
      `load average ${loadBefore.map(round1).join(" ")} before, ${summary.loadAverage.after.join(" ")} after`
  )
  console.log(JSON.stringify(summary))
}

main().catch((error: unknown) => {
  rmSync(work, { recursive: true, force: true })
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
