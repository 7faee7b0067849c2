import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs"
import { createServer } from "node:net"
import { homedir, tmpdir } from "node:os"
import { join } from "node:path"

/** A temporary directory for one README's commands: its data, config and scratch files. */
export interface Scratch {
  readonly dir: string
  /** `$XDG_DATA_HOME`: the embedded sandbox's store and the runner's journal land here, never in the user's. */
  readonly dataHome: string
  readonly configHome: string
  /** Stands in for `/tmp` in the commands, so parallel runs never share a file. */
  readonly tmp: string
  readonly remove: () => void
}

export const makeScratch = (): Scratch => {
  const dir = mkdtempSync(join(tmpdir(), "bullseye-readme-"))
  const at = (name: string) => {
    const path = join(dir, name)
    mkdirSync(path)
    return path
  }
  return {
    dir,
    dataHome: at("data"),
    configHome: at("config"),
    tmp: at("tmp"),
    remove: () => rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * A folder that looks like `folder` (a link to each of its entries) but is new and empty otherwise: commands run
 * in it as in `folder`, and the files they write in it (plans, reports) stay out of the repository.
 */
export const mirror = (folder: string, into: string): string => {
  mkdirSync(into)
  for (const entry of readdirSync(folder)) {
    if (entry === ".git" || entry === ".turbo") continue
    symlinkSync(join(folder, entry), join(into, entry))
  }
  return into
}

/**
 * The environment of a fresh shell: the caller's PATH (with `extraPath` first) and home (npx keeps its cache there),
 * the XDG directories of the scratch, and nothing of the runner's or of the pnpm/turbo run this test is part of
 * (no API key, no profile, no INIT_CWD).
 */
export const freshEnv = (
  scratch: Scratch,
  extraPath: ReadonlyArray<string> = []
): Record<string, string> => ({
  PATH: [...extraPath, process.env["PATH"] ?? "/usr/bin:/bin"].join(":"),
  HOME: homedir(),
  LANG: "C.UTF-8",
  XDG_DATA_HOME: scratch.dataHome,
  XDG_CONFIG_HOME: scratch.configHome
})

/** A TCP port nobody listens on right now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))
      )
    })
  })
