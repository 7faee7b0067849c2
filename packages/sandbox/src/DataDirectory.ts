// Where the apps keep the sandbox's store and key. Node built-ins only: a binary can ask before it loads
// anything else.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { homedir } from "node:os"
import { dirname, isAbsolute, join } from "node:path"

/**
 * `$XDG_DATA_HOME/bullseye-partner`, XDG_DATA_HOME defaulting to `~/.local/share` when unset, empty or
 * relative (the XDG spec ignores relative paths).
 */
export const dataDirectory = (env: {
  readonly XDG_DATA_HOME?: string | undefined
  readonly HOME?: string | undefined
}): string => {
  const xdg = env.XDG_DATA_HOME?.trim()
  const base =
    xdg !== undefined && xdg !== "" && isAbsolute(xdg) ? xdg : join(env.HOME ?? homedir(), ".local", "share")
  return join(base, "bullseye-partner")
}

/** The store file in a data directory (`bullseye-sandbox`'s default `--db`). */
export const storeFile = (dataDir: string) => join(dataDir, "sandbox.db")

/** The key file in a data directory: the key and a newline, mode 0600. */
export const keyFile = (dataDir: string) => join(dataDir, "sandbox.key")

/**
 * Creates a directory (and its parents) that only the user can enter (0700): the data directory holds the
 * store and the key file, and whichever program creates it first decides its mode.
 */
export const makePrivateDirectory = (path: string) => {
  mkdirSync(path, { recursive: true, mode: 0o700 })
}

/** Writes a secret readable only by the user (0600), creating its directory (0700). */
export const writeSecret = (path: string, value: string) => {
  makePrivateDirectory(dirname(path))
  writeFileSync(path, `${value}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
}

/** A secret file's value, or undefined when the file is missing or empty. */
export const readSecret = (path: string): string | undefined => {
  let value: string
  try {
    value = readFileSync(path, "utf8").trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined
    throw error
  }
  return value === "" ? undefined : value
}
