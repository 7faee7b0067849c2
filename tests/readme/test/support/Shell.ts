import { type ChildProcess, spawn } from "node:child_process"
import { stripVTControlCharacters } from "node:util"
import * as pty from "node-pty"

/** Where and with what environment a command runs. */
export interface Place {
  readonly cwd: string
  readonly env: Record<string, string>
}

/** How a command ended; a command run in a terminal has its whole screen output (plain text) in `out`. */
export interface Finished {
  readonly command: string
  readonly code: number
  readonly out: string
  readonly err: string
}

const timeoutMs = 120_000

const describe = (finished: Omit<Finished, "command">) =>
  `exit ${finished.code}\n--- stdout\n${finished.out.slice(-3000)}\n--- stderr\n${finished.err.slice(-3000)}`

/** A readable account of a finished command, for assertion messages. */
export const transcript = (finished: Finished) => `$ ${finished.command}\n${describe(finished)}`

// Each command runs in a process group of its own, so a timeout or a stop ends npx, pnpm and node together.
const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, signal)
    } catch {
      // Already gone.
    }
  }
}

const spawnShell = (command: string, place: Place) =>
  spawn("sh", ["-c", command], {
    cwd: place.cwd,
    env: place.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"]
  })

/** Runs a command with no terminal (stdin closed, output piped) and collects what it printed. */
export const run = (command: string, place: Place): Promise<Finished> =>
  new Promise((resolve, reject) => {
    const child = spawnShell(command, place)
    let out = ""
    let err = ""
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()))
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs)
    child.on("error", reject)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ command, code: code ?? (signal === null ? 1 : 128), out, err })
    })
  })

/** One question a command asks on its terminal, and the keys that answer it. */
export interface Answer {
  readonly question: RegExp
  readonly keys: string
}

/** Runs a command in a pseudo-terminal, as a person would, typing each answer once its question appears. */
export const runInTerminal = (
  command: string,
  place: Place,
  answers: ReadonlyArray<Answer>
): Promise<Finished> =>
  new Promise((resolve) => {
    const child = pty.spawn("sh", ["-c", command], {
      name: "xterm-256color",
      cols: 120,
      rows: 40,
      cwd: place.cwd,
      env: { ...place.env, TERM: "xterm-256color" }
    })
    let screen = ""
    const pending = [...answers]
    child.onData((data) => {
      screen += data
      const next = pending[0]
      if (next !== undefined && next.question.test(stripVTControlCharacters(screen))) {
        pending.shift()
        child.write(next.keys)
      }
    })
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.onExit(({ exitCode }) => {
      clearTimeout(timer)
      resolve({ command, code: exitCode, out: stripVTControlCharacters(screen), err: "" })
    })
  })

/** A long-running command (a server) started in the background. */
export interface Background {
  readonly command: string
  /** Everything it printed so far, stdout and stderr interleaved. */
  readonly output: () => string
  /** Ends it (its whole process group) and waits until it has exited. */
  readonly stop: () => Promise<void>
}

/** Starts a long-running command and waits until its output matches `ready`; fails if it exits before. */
export const start = (command: string, place: Place, ready: RegExp): Promise<Background> =>
  new Promise((resolve, reject) => {
    const child = spawnShell(command, place)
    let output = ""
    let exited = false
    const closed = new Promise<void>((done) =>
      child.on("close", () => {
        exited = true
        done()
      })
    )
    const background: Background = {
      command,
      output: () => output,
      stop: async () => {
        killGroup(child, "SIGTERM")
        const force = setTimeout(() => killGroup(child, "SIGKILL"), 5_000)
        await closed
        clearTimeout(force)
      }
    }
    const timer = setTimeout(() => {
      void background.stop()
      reject(new Error(`$ ${command}\nnot ready after ${timeoutMs} ms:\n${output.slice(-3000)}`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (ready.test(output)) {
        clearTimeout(timer)
        resolve(background)
      }
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", onData)
    child.on("error", reject)
    void closed.then(() => {
      if (exited && !ready.test(output)) {
        clearTimeout(timer)
        reject(new Error(`$ ${command}\nexited before it was ready:\n${output.slice(-3000)}`))
      }
    })
  })
