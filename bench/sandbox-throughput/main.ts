// Sandbox throughput: autocannon for 10 s on two requests against the stateful sandbox (real auth and
// storage, rate limit raised) and against Prism mocking the committed openapi.json, in one run.
import autocannon from "autocannon"
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { machine, root, startSandbox, waitForLine } from "../support.js"

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = 10

const run = (url: string, headers: Record<string, string>, duration = seconds) =>
  new Promise<{ rps: number; p99: number; errors: number; non2xx: number }>((resolve, reject) => {
    autocannon({ url, headers, connections, duration }, (error, result) => {
      if (error !== null && error !== undefined) return reject(error)
      resolve({
        rps: result.requests.average,
        p99: result.latency.p99,
        errors: result.errors,
        non2xx: result.non2xx
      })
    })
  })

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-sandbox-"))
  const sandbox = await startSandbox(["--db", ":memory:", "--rate-limit", "10000000"], join(dir, "key"))
  const prismPort = 4600 + Math.floor(Math.random() * 300)
  const prism = spawn(
    join(root, "bench/node_modules/.bin/prism"),
    [
      "mock",
      join(root, "packages/core/openapi.json"),
      "--port",
      String(prismPort),
      "--host",
      "127.0.0.1",
      "--errors",
      "false"
    ],
    { stdio: ["ignore", "pipe", "pipe"] }
  )
  try {
    const base = sandbox.baseUrl
    const key = sandbox.key
    await waitForLine(prism, /Prism is listening/)
    const prismBase = `http://127.0.0.1:${prismPort}`
    const headers = { "X-Partner-API-Key": key }
    const paths = ["/partner/me", "/partner/organizations?pageSize=20"]
    const rows = []
    for (const path of paths) {
      // Two seconds of warm-up each, so neither side is measured while its JIT is cold.
      await run(`${base}${path}`, headers, 2)
      await run(`${prismBase}${path}`, headers, 2)
      const ours = await run(`${base}${path}`, headers)
      const mock = await run(`${prismBase}${path}`, headers)
      rows.push({ path, sandbox: ours, prism: mock, ratio: Number((ours.rps / mock.rps).toFixed(2)) })
      console.error(
        `${path}: sandbox ${ours.rps.toFixed(0)} req/s p99 ${ours.p99} ms (${ours.non2xx} non-2xx); ` +
          `prism ${mock.rps.toFixed(0)} req/s p99 ${mock.p99} ms (${mock.non2xx} non-2xx); ratio ${(ours.rps / mock.rps).toFixed(2)}`
      )
    }
    console.log(
      JSON.stringify({
        bench: "sandbox-throughput",
        date: new Date().toISOString(),
        machine: machine().machine,
        seconds,
        connections,
        results: rows,
        target: "sandbox/prism req/s >= 1"
      })
    )
  } finally {
    sandbox.child.kill("SIGTERM")
    prism.kill("SIGTERM")
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
