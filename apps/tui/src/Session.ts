import type { SandboxControl } from "@bullseye-partner/core/SandboxControl"
import { Context } from "effect"

/** Where the TUI is connected and how it may act. */
export interface SessionInfo {
  readonly mode: "sandbox" | "api"
  readonly profile: string | undefined
  readonly baseUrl: string
  /** `--read-only` was given. */
  readonly readOnly: boolean
  /** The first 14 characters of the key in use, to recognise it in the key list (the API shows them too). */
  readonly keyPrefix: string
  /** The embedded sandbox's control plane; present only in sandbox mode. */
  readonly sandboxControl: SandboxControl | undefined
}

/** The connection of this TUI process. */
export class Session extends Context.Tag("@bullseye-partner/tui/Session")<Session, SessionInfo>() {}

/** Length of the key prefix the API lists (`keyPrefix`). */
export const keyPrefixLength = 14
