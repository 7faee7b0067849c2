// Export: `bullseye-run export visitors --all-orgs` of 200,000 visitors (200 organizations x 1,000, the
// sandbox's demo seed in a SQLite file) through the real binary, stdout piped to this process. Reports rows
// per second against the physical limit (pageSize 100 x the rate limit) and the runner's peak RSS.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { machine, runRunner, startSandbox, untilNextWindow } from "../support.js"

const organizations = 200
const visitorsPerOrg = 1000
const pageSize = 100
// 200 requests per 10 s: 2,000 rows/s at most, so 200,000 rows need about 100 s.
const limit = Number(process.env["BENCH_RATE_LIMIT"] ?? 200)
const windowSeconds = Number(process.env["BENCH_RATE_WINDOW"] ?? 10)
// Seeding 200,000 visitors takes minutes; BENCH_EXPORT_STORE=DIR keeps the store (and its 0600 key file)
// there and reuses it on the next run.
const keptStore = process.env["BENCH_EXPORT_STORE"]
// BENCH_EXPORT_FROM_SOURCE=1 runs the runner's TypeScript sources through tsx instead of its bundle.
const fromSource = process.env["BENCH_EXPORT_FROM_SOURCE"] === "1"

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-export-"))
  const storeDir = keptStore ?? dir
  mkdirSync(storeDir, { recursive: true, mode: 0o700 })
  const store = join(storeDir, "sandbox.db")
  const seeded = existsSync(store)
  const seedStarted = performance.now()
  const sandbox = await startSandbox(
    [
      "--db",
      store,
      "--organizations",
      String(organizations),
      "--visitors-per-org",
      String(visitorsPerOrg),
      "--rate-limit",
      String(limit),
      "--rate-window",
      String(windowSeconds)
    ],
    join(storeDir, "sandbox.key")
  )
  const seedSeconds = (performance.now() - seedStarted) / 1000
  try {
    console.error(
      `${seeded ? "reused the store" : `seeded ${organizations * visitorsPerOrg} visitors`} in ` +
        `${seedSeconds.toFixed(0)} s; limit ${limit} per ${windowSeconds} s; ${machine().machine}, load ${machine().loadAverage}`
    )
    const physical = (pageSize * limit) / windowSeconds
    // Start on a fresh window, so the first one is neither partly spent nor a bonus.
    await untilNextWindow(windowSeconds)
    let rows = 0
    let bytes = 0
    const run = runRunner(
      ["export", "visitors", "--all-orgs", "--format", "ndjson"],
      {
        BULLSEYE_API_KEY: sandbox.key,
        BULLSEYE_BASE_URL: sandbox.baseUrl,
        XDG_DATA_HOME: dir,
        XDG_CONFIG_HOME: dir,
        HOME: dir,
        ...(fromSource ? { BULLSEYE_RUN_FROM_SOURCE: "1" } : {})
      },
      (chunk) => {
        bytes += chunk.length
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++
      }
    )
    const exit = await run.exited
    if (exit.code !== 0) throw new Error(`export exited ${exit.code}: ${exit.stderr}`)
    if (rows !== organizations * visitorsPerOrg)
      throw new Error(`expected ${organizations * visitorsPerOrg} rows, got ${rows}`)
    const rowsPerSecond = rows / exit.seconds
    const result = {
      rows,
      megabytes: Number((bytes / 1048576).toFixed(1)),
      seconds: Number(exit.seconds.toFixed(1)),
      rowsPerSecond: Math.round(rowsPerSecond),
      physicalRowsPerSecond: physical,
      fractionOfLimit: Number((rowsPerSecond / physical).toFixed(3)),
      peakRssMb: exit.peakRssMb === undefined ? null : Number(exit.peakRssMb.toFixed(1))
    }
    console.error(
      `${rows} rows (${result.megabytes} MB) in ${result.seconds} s: ${result.rowsPerSecond} rows/s, ` +
        `${result.fractionOfLimit} of ${physical} rows/s; peak RSS ${result.peakRssMb} MB` +
        (fromSource ? " (sources through tsx)" : "")
    )
    console.log(
      JSON.stringify({
        bench: "export",
        date: new Date().toISOString(),
        ...machine(),
        runner: fromSource ? "tsx" : "bundle",
        limit,
        windowSeconds,
        seedSeconds: Number(seedSeconds.toFixed(0)),
        ...result,
        targets: "rows/s >= 0.9 of the physical limit, peak RSS < 150 MB",
        met: result.fractionOfLimit >= 0.9 && result.peakRssMb !== null && result.peakRssMb < 150
      })
    )
  } finally {
    sandbox.child.kill("SIGTERM")
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
