// TUI start and scrolling: the README's start command, the real bullseye-tui binary (its bundle) and an empty
// Ink app measured the same way in the same run. Every program runs in a pseudo-terminal (node-pty), and
// times are taken when its output reaches this process.
//   (a) process start -> first frame with data (the dashboard's credit pool; the empty app's one line): the
//       README's `npx --yes pnpm@... start` on a fresh data directory, split into its parts (npx until pnpm
//       runs, pnpm until the bin runs, the bin until the first data) by watching the process tree; the bin
//       alone on a fresh data directory and again on the same one; the empty Ink app;
//   (b) keypress -> frame showing it, pressing ↓ in a list of 10,000 organizations (a `bullseye-sandbox`
//       child filled through the API) and in the empty app (a key counter).
import * as pty from "node-pty"
import { spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { stripVTControlCharacters } from "node:util"
import { machine, median, root, startSandbox } from "../support.js"

const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const keyPresses = Number(process.env.BENCH_KEYS ?? 200)
const organizationCount = Number(process.env.BENCH_ORGANIZATIONS ?? 10_000)
const pauseBetweenKeysMs = 50
const targets = { startCommandFirstDataMs: 3000, firstDataFrameMs: 1000, keyToFrameMs: 50 }

const tuiBin = join(root, "apps", "tui", "bin", "bullseye-tui.js")
const emptyApp = fileURLToPath(new URL("./empty-app.js", import.meta.url))
const work = mkdtempSync(join(tmpdir(), "bench-tui-"))

/** The start part of the README's run command (`npx --yes pnpm@X install && npx --yes pnpm@X start`). */
const startCommand = (() => {
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const match = /&& (npx --yes pnpm@\S+ start)\n/.exec(readme)
  if (match?.[1] === undefined) throw new Error("README.md has no `... && npx --yes pnpm@X start` command")
  const [file, ...args] = match[1].split(" ")
  if (file === undefined) throw new Error("README.md's start command is empty")
  return { file, args, text: match[1] }
})()

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

/** The process and its live descendants, from /proc (threads' children included). */
const processTree = (pid: number): Array<number> => {
  const pids = [pid]
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
        const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, "utf8").trim()
        if (children !== "") pids.push(...children.split(" ").map(Number))
      }
    } catch {
      // Exited meanwhile.
    }
  }
  return pids
}

/** CPU time of a whole process tree: the live processes and the children they have already reaped. */
const treeCpuMs = (pid: number): number | undefined => {
  let total = 0
  for (const p of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []
      total +=
        ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / 100
    } catch {
      if (p === pid) return undefined
    }
  }
  return total
}

const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ")
  } catch {
    return ""
  }
}

/**
 * Watches a process tree every few milliseconds and records when a process whose command line matches each
 * pattern first appears (ms since `startedAt`).
 */
const watchStages = (pid: number, startedAt: number, stages: Record<string, RegExp>) => {
  const seen: Record<string, number> = {}
  const timer = setInterval(() => {
    const now = performance.now()
    for (const p of processTree(pid)) {
      const line = commandLine(p)
      for (const [name, pattern] of Object.entries(stages)) {
        if (seen[name] === undefined && pattern.test(line)) seen[name] = now - startedAt
      }
    }
  }, 5)
  return { seen, stop: () => clearInterval(timer) }
}

/** A program in a pseudo-terminal whose output can be awaited. */
const startTerminal = (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  file: string = process.execPath
) => {
  const startedAt = performance.now()
  const child = pty.spawn(file, [...args], {
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

/**
 * Time to the first frame that shows `needle`, the CPU the process tree had used by then, and when the
 * processes matching `stages` appeared.
 */
const firstFrame = async (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  needle: string,
  options: { readonly file?: string; readonly stages?: Record<string, RegExp> } = {}
) => {
  const term = startTerminal(args, env, options.file)
  const watch = watchStages(term.pid, term.startedAt, options.stages ?? {})
  try {
    let cpuMs: number | undefined
    const at = await term.waitFor((text) => {
      const found = contains(needle)(text)
      if (found) cpuMs = treeCpuMs(term.pid)
      return found
    }, needle)
    return { ms: at - term.startedAt, cpuMs, stages: { ...watch.seen } }
  } finally {
    watch.stop()
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
  // The bundle must be what runs: a first start after an edit bundles again (saying so on stderr), the next
  // one runs the bundle silently.
  spawnSync(process.execPath, [tuiBin, "--help"], { encoding: "utf8" })
  const help = spawnSync(process.execPath, [tuiBin, "--help"], { encoding: "utf8" })
  if (help.status !== 0 || help.stderr !== "") {
    throw new Error(`bullseye-tui does not run its bundle (${help.stderr.trim() || `exit ${help.status}`})`)
  }

  // (a) first frame with data, alternating the programs in each round.
  const kinds = ["empty", "first", "later", "command"] as const
  const start = Object.fromEntries(kinds.map((k) => [k, [] as Array<number>])) as Record<
    (typeof kinds)[number],
    Array<number>
  >
  const cpu = Object.fromEntries(kinds.map((k) => [k, [] as Array<number>])) as typeof start
  const parts = { npx: [] as Array<number>, pnpm: [] as Array<number>, bin: [] as Array<number> }
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
    // The user's own HOME (npx's cache of pnpm, as after the README's install), a fresh data directory.
    const commandHome = mkdtempSync(join(work, "home-"))
    const command = await firstFrame(
      startCommand.args,
      {
        HOME: process.env["HOME"] ?? home,
        XDG_DATA_HOME: join(commandHome, "data"),
        XDG_CONFIG_HOME: join(commandHome, "config")
      },
      "total 100,000",
      { file: startCommand.file, stages: { pnpm: /pnpm\.c?js /, bin: /bullseye-tui\.js/ } }
    )
    const { pnpm, bin } = command.stages
    if (pnpm === undefined || bin === undefined) {
      throw new Error(`the start command ran no pnpm or no bullseye-tui (${JSON.stringify(command.stages)})`)
    }
    parts.npx.push(pnpm)
    parts.pnpm.push(bin - pnpm)
    parts.bin.push(command.ms - bin)
    for (const [k, r] of [
      ["empty", empty],
      ["first", first],
      ["later", later],
      ["command", command]
    ] as const) {
      start[k].push(r.ms)
      if (r.cpuMs !== undefined) cpu[k].push(r.cpuMs)
    }
    console.error(
      `round ${round}: empty Ink app ${empty.ms.toFixed(0)} ms; bullseye-tui first start ${first.ms.toFixed(0)} ms, ` +
        `later start ${later.ms.toFixed(0)} ms; \`${startCommand.text}\` ${command.ms.toFixed(0)} ms ` +
        `(npx ${pnpm.toFixed(0)}, pnpm ${(bin - pnpm).toFixed(0)}, bin ${(command.ms - bin).toFixed(0)})`
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

  const medianOrNull = (xs: ReadonlyArray<number>) => (xs.length > 0 ? Math.round(median(xs)) : null)
  const firstFrameResult = {
    startCommand: startCommand.text,
    startCommandMs: Math.round(median(start.command)),
    startCommandParts: {
      npxMs: Math.round(median(parts.npx)),
      pnpmMs: Math.round(median(parts.pnpm)),
      binMs: Math.round(median(parts.bin))
    },
    ratioStartCommand: ratio(median(start.command), median(start.empty)),
    startCommandCpuMs: medianOrNull(cpu.command),
    emptyInkMs: Math.round(median(start.empty)),
    tuiFirstStartMs: Math.round(median(start.first)),
    tuiLaterStartMs: Math.round(median(start.later)),
    ratioFirstStart: ratio(median(start.first), median(start.empty)),
    ratioLaterStart: ratio(median(start.later), median(start.empty)),
    emptyInkCpuMs: medianOrNull(cpu.empty),
    tuiFirstStartCpuMs: medianOrNull(cpu.first),
    tuiLaterStartCpuMs: medianOrNull(cpu.later)
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
      startCommand: firstFrameResult.startCommandMs <= targets.startCommandFirstDataMs,
      firstDataFrame:
        Math.max(firstFrameResult.tuiFirstStartMs, firstFrameResult.tuiLaterStartMs) <
        targets.firstDataFrameMs,
      scrolling: scrolling.tuiP95Ms < targets.keyToFrameMs
    }
  }
  const p = firstFrameResult.startCommandParts
  console.log(
    `first frame with data (median of ${rounds}), fresh store: \`${firstFrameResult.startCommand}\` ` +
      `${firstFrameResult.startCommandMs} ms (npx ${p.npxMs} ms, pnpm ${p.pnpmMs} ms, bullseye-tui ${p.binMs} ms; ` +
      `${firstFrameResult.ratioStartCommand}x the empty Ink app; CPU ${firstFrameResult.startCommandCpuMs ?? "?"} ms)`
  )
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
    `targets: start command to first data <= ${targets.startCommandFirstDataMs} ms ${summary.met.startCommand ? "met" : "MISSED"}, ` +
      `first data frame < ${targets.firstDataFrameMs} ms ${summary.met.firstDataFrame ? "met" : "MISSED"}, ` +
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
