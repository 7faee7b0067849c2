// Rate budget: `bullseye-run apply` of a 3,000-request plan against the sandbox with a compressed limit
// (300 per 10 s), alone and then with a second process sharing the key. A counting proxy in front of the
// sandbox sees every response, so utilization and 429s are measured from outside the runner.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { countingProxy, machine, runRunner, startSandbox, untilNextWindow, type Seen } from "../support.js"

const limit = Number(process.env["BENCH_RATE_LIMIT"] ?? 300)
const windowSeconds = Number(process.env["BENCH_RATE_WINDOW"] ?? 10)
const organizationsPerRun = 500
// Three metadata changes per organization: 1,500 steps, each a fresh read plus one change.
const actionsPerOrganization = 3

interface Window {
  readonly start: number
  readonly ok: number
  readonly rejected: number
}

/** Responses per rate window (aligned to multiples of the window, as the sandbox's). */
const perWindow = (seen: ReadonlyArray<Seen>): Array<Window> => {
  const windowMs = windowSeconds * 1000
  const first = Math.floor(Math.min(...seen.map((s) => s.at)) / windowMs)
  const last = Math.floor(Math.max(...seen.map((s) => s.at)) / windowMs)
  const windows = Array.from({ length: last - first + 1 }, (_, i) => ({
    start: (first + i) * windowMs,
    ok: 0,
    rejected: 0
  }))
  for (const s of seen) {
    const w = windows[Math.floor(s.at / windowMs) - first]!
    if (s.status === 429) w.rejected++
    else w.ok++
  }
  return windows
}

/**
 * Used budget over available budget: every window but the last allowed `limit` requests; the last one
 * only needed what was left of the work, so it counts as what it served.
 */
const utilization = (windows: ReadonlyArray<Window>) => {
  const served = windows.reduce((n, w) => n + w.ok, 0)
  const allowed = limit * (windows.length - 1) + windows[windows.length - 1]!.ok
  return served / allowed
}

const spec = (dir: string, name: string, organizations: ReadonlyArray<number>, round: string) => {
  const file = join(dir, `${name}.yaml`)
  const ids = organizations.map((i) => `demo-${String(i).padStart(3, "0")}`).join(", ")
  const actions = Array.from(
    { length: actionsPerOrganization },
    (_, a) => `  - mergeMetadata: { bench${a}: ${JSON.stringify(round)} }`
  )
  writeFileSync(file, [`select: { externalIds: [${ids}] }`, "actions:", ...actions].join("\n"))
  return file
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-rate-budget-"))
  const sandbox = await startSandbox(
    [
      "--db",
      ":memory:",
      "--organizations",
      String(2 * organizationsPerRun),
      "--visitors-per-org",
      "0",
      "--rate-limit",
      String(limit),
      "--rate-window",
      String(windowSeconds)
    ],
    join(dir, "key")
  )
  const proxy = await countingProxy(sandbox.baseUrl)
  const env = (name: string) => ({
    BULLSEYE_API_KEY: sandbox.key,
    BULLSEYE_BASE_URL: proxy.baseUrl,
    XDG_DATA_HOME: join(dir, name),
    XDG_CONFIG_HOME: join(dir, name),
    HOME: join(dir, name),
    NO_COLOR: "1"
  })

  const plan = async (name: string, specFile: string) => {
    const planFile = join(dir, `${name}.plan.json`)
    const planned = await runRunner(["plan", specFile, "--out", planFile], env(name)).exited
    if (planned.code !== 2) throw new Error(`plan ${name} exited ${planned.code}: ${planned.stderr}`)
    const requests = (JSON.parse(readFileSync(planFile, "utf8")) as { requests: number }).requests
    return { name, planFile, requests }
  }

  const apply = async (plans: ReadonlyArray<{ name: string; planFile: string; requests: number }>) => {
    // Planning spent budget in the current window: start on a fresh one, so the first window is whole.
    await untilNextWindow(windowSeconds)
    proxy.seen.length = 0
    const exits = await Promise.all(
      plans.map(
        (p) =>
          runRunner(
            ["apply", p.planFile, "--yes", "--journal", join(dir, `${p.name}.journal.db`)],
            env(p.name)
          ).exited
      )
    )
    for (const [i, exit] of exits.entries())
      if (exit.code !== 0) throw new Error(`apply ${plans[i]!.name} exited ${exit.code}: ${exit.stderr}`)
    const windows = perWindow(proxy.seen)
    const ok = windows.reduce((n, w) => n + w.ok, 0)
    const rejected = windows.reduce((n, w) => n + w.rejected, 0)
    const seconds = Math.max(...exits.map((e) => e.seconds))
    const result = {
      processes: plans.length,
      plannedRequests: plans.reduce((n, p) => n + p.requests, 0),
      requests: ok + rejected,
      served: ok,
      rejected429: rejected,
      rejectedShare: Number((rejected / (ok + rejected)).toFixed(4)),
      windows: windows.length,
      perWindow: windows.map((w) => (w.rejected === 0 ? w.ok : `${w.ok}+${w.rejected}x429`)),
      utilization: Number(utilization(windows).toFixed(3)),
      // The plain rate: what a window-long average would call it (fixed windows allow more than 1).
      rateRatio: Number((ok / ((limit / windowSeconds) * seconds)).toFixed(3)),
      seconds: Number(seconds.toFixed(1))
    }
    console.error(
      `${plans.length} process(es): ${ok} served + ${rejected} x 429 in ${result.seconds} s over ` +
        `${windows.length} windows [${result.perWindow.join(" ")}]; utilization ${result.utilization}`
    )
    return result
  }

  try {
    console.error(
      `limit ${limit} per ${windowSeconds} s; ${machine().machine}, load ${machine().loadAverage}`
    )
    const alonePlan = await plan("alone", spec(dir, "alone", range(1, organizationsPerRun), "alone"))
    const alone = await apply([alonePlan])
    const shared = await apply([
      await plan("shared-a", spec(dir, "shared-a", range(1, organizationsPerRun), "shared")),
      await plan(
        "shared-b",
        spec(dir, "shared-b", range(organizationsPerRun + 1, organizationsPerRun), "shared")
      )
    ])
    console.log(
      JSON.stringify({
        bench: "rate-budget",
        date: new Date().toISOString(),
        ...machine(),
        limit,
        windowSeconds,
        alone,
        shared,
        targets: "alone: utilization >= 0.95 and 0 x 429; shared: 429s < 1% of requests",
        met: alone.utilization >= 0.95 && alone.rejected429 === 0 && shared.rejectedShare < 0.01
      })
    )
  } finally {
    await proxy.close()
    sandbox.child.kill("SIGTERM")
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
