// What the benchmarks share: real child processes (the sandbox, the runner), a counting proxy, the machine.
import { spawn, type ChildProcess } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { createServer, request, Agent, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { cpus, loadavg } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

export const root = fileURLToPath(new URL("../", import.meta.url))

export const runnerBin = join(root, "apps/runner/bin/bullseye-run.js")

/** The machine and its load right now, for the result line. */
export const machine = () => ({
  machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
  loadAverage: loadavg().map((l) => Number(l.toFixed(2)))
})

/** The median of some measurements (the upper one of an even count). */
export const median = (xs: ReadonlyArray<number>) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

/** Runs `task` `n` times, `width` at a time, and returns the results. */
export const pool = async <A>(n: number, width: number, task: () => Promise<A>): Promise<Array<A>> => {
  const results: Array<A> = []
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next++ < n) results.push(await task())
    })
  )
  return results
}

/** Resolves with the first capture group (or the match) of `pattern` in the child's output. */
export const waitForLine = (child: ChildProcess, pattern: RegExp) =>
  new Promise<string>((resolve, reject) => {
    let seen = ""
    const onData = (chunk: Buffer) => {
      seen += chunk.toString()
      const match = pattern.exec(seen)
      if (match !== null) resolve(match[1] ?? match[0])
    }
    child.stdout?.on("data", onData)
    child.stderr?.on("data", onData)
    child.once("exit", (code) => reject(new Error(`exited with ${code} before ready:\n${seen.slice(-2000)}`)))
  })

/** The content of a file once it exists (a key file the sandbox writes at start). */
export const readWhenWritten = async (file: string): Promise<string> => {
  for (let i = 0; i < 100; i++) {
    if (existsSync(file)) return readFileSync(file, "utf8").trim()
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`the sandbox wrote no key file at ${file}`)
}

/** `bullseye-sandbox` in a child process on a free port; its key is read from its 0600 key file. */
export const startSandbox = async (args: ReadonlyArray<string>, keyFile: string) => {
  const child = spawn(
    process.execPath,
    [join(root, "packages/sandbox/bin/bullseye-sandbox.js"), "--port", "0", "--key-file", keyFile, ...args],
    { stdio: ["ignore", "pipe", "pipe"] }
  )
  try {
    const baseUrl = await waitForLine(child, /Sandbox listening on (\S+)/)
    // Only the listening line is waited for: the output also carries the key, which is never printed.
    child.stdout?.resume()
    child.stderr?.resume()
    return { child, baseUrl, key: await readWhenWritten(keyFile) }
  } catch (error) {
    child.kill("SIGTERM")
    throw error
  }
}

/** Sleeps until `marginMs` after the next multiple of the window (the sandbox aligns its windows so). */
export const untilNextWindow = (windowSeconds: number, marginMs = 50) => {
  const windowMs = windowSeconds * 1000
  return new Promise((r) => setTimeout(r, windowMs - (Date.now() % windowMs) + marginMs))
}

/** One answered request as the proxy saw it. */
export interface Seen {
  readonly at: number
  readonly status: number
}

/**
 * A forwarding HTTP proxy in front of the sandbox that records every response's status and time: the
 * benchmark's outside view of what the runner sent, independent of the runner's own accounting.
 */
export const countingProxy = async (target: string) => {
  const upstream = new URL(target)
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const seen: Array<Seen> = []
  const server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers,
        agent
      },
      (answer) => {
        seen.push({ at: Date.now(), status: answer.statusCode ?? 0 })
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    forward.on("error", () => res.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}${upstream.pathname}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy()
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

/** What a finished runner process did. */
export interface RunnerExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly seconds: number
  /** The kernel's high-water mark of the process's resident set (VmHWM), in MB; Linux only. */
  readonly peakRssMb: number | undefined
  readonly stderr: string
}

const highWaterMb = (pid: number): number | undefined => {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]
    return kb === undefined ? undefined : Number(kb) / 1024
  } catch {
    return undefined
  }
}

/**
 * Runs the real `bullseye-run` binary. The key travels in the environment, never on the command line.
 * `onStdout` receives its stdout (it is drained either way).
 */
export const runRunner = (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  onStdout: (chunk: Buffer) => void = () => {}
) => {
  const started = performance.now()
  const child = spawn(process.execPath, [runnerBin, ...args], {
    env: { PATH: process.env["PATH"] ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stderr = ""
  let peak: number | undefined
  const poll = setInterval(() => {
    const now = child.pid === undefined ? undefined : highWaterMb(child.pid)
    if (now !== undefined) peak = Math.max(peak ?? 0, now)
  }, 100)
  child.stdout.on("data", onStdout)
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<RunnerExit>((resolve) => {
    child.once("exit", (code, signal) => {
      clearInterval(poll)
      resolve({ code, signal, seconds: (performance.now() - started) / 1000, peakRssMb: peak, stderr })
    })
  })
  return { child, exited }
}
