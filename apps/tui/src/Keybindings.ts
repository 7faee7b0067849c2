import { useInput, type Key } from "ink"
import { useCallback, useRef, useState } from "react"

/** The screens reachable from the number keys, in their order. */
export const topScreens = [
  { id: "dashboard", key: "1", title: "Dashboard", short: "Dash" },
  { id: "organizations", key: "2", title: "Organizations", short: "Orgs" },
  { id: "apiKeys", key: "3", title: "API keys", short: "Keys" },
  { id: "webhooks", key: "4", title: "Webhooks", short: "Hooks" },
  { id: "billing", key: "5", title: "Billing", short: "Billing" },
  { id: "branding", key: "6", title: "Branding", short: "Brand" },
  { id: "domain", key: "7", title: "Domain", short: "Domain" }
] as const

export type TopScreenId = (typeof topScreens)[number]["id"]

/** What a key needs from the API key's scopes. */
export type Need = "write" | "admin"

export interface Binding {
  readonly keys: ReadonlyArray<string>
  readonly action: string
  readonly help: string
  readonly needs?: Need
}

/** A stable name for a keypress: the character, or `up`, `down`, `enter`, `esc`, `tab`, ... */
export const keyName = (input: string, key: Key): string => {
  if (key.escape) return "esc"
  if (key.return) return "enter"
  if (key.upArrow) return "up"
  if (key.downArrow) return "down"
  if (key.leftArrow) return "left"
  if (key.rightArrow) return "right"
  if (key.pageUp) return "pageup"
  if (key.pageDown) return "pagedown"
  if (key.home) return "home"
  if (key.end) return "end"
  if (key.tab) return key.shift ? "shift-tab" : "tab"
  if (key.backspace || key.delete) return "backspace"
  if (key.ctrl) return `ctrl-${input}`
  return input
}

const b = (keys: string | ReadonlyArray<string>, action: string, help: string, needs?: Need): Binding =>
  needs === undefined
    ? { keys: typeof keys === "string" ? [keys] : keys, action, help }
    : { keys: typeof keys === "string" ? [keys] : keys, action, help, needs }

/** Keys that work on every screen (unless a form or filter holds the keyboard). */
export const globalBindings: ReadonlyArray<Binding> = [
  ...topScreens.map((s) => b(s.key, `screen:${s.id}`, s.title)),
  b(":", "palette", "command palette: jump to a screen or an organization"),
  b("?", "help", "this help"),
  b("esc", "back", "back out"),
  b("r", "refresh", "refresh"),
  b(["q", "ctrl-c"], "quit", "quit")
]

const move: ReadonlyArray<Binding> = [
  b(["up", "k"], "up", "move up"),
  b(["down", "j"], "down", "move down"),
  b("pageup", "pageUp", "page up"),
  b("pagedown", "pageDown", "page down"),
  b(["home", "g"], "first", "first row"),
  b(["end", "G"], "last", "last row")
]

/** The keys of each screen and organization tab, for the handlers and the help overlay alike. */
export const screenBindings = {
  dashboard: [],
  organizations: [
    ...move,
    b("enter", "open", "open the organization"),
    b("/", "filter", "filter by name or externalId"),
    b("f", "status", "cycle the status filter"),
    b("t", "tier", "cycle the tier filter"),
    b("s", "sort", "cycle the sort column"),
    b("S", "reverse", "reverse the sort order")
  ],
  organization: [
    b(["tab", "right", "]"], "nextTab", "next tab"),
    b(["shift-tab", "left", "["], "prevTab", "previous tab")
  ],
  "organization.overview": [
    b("e", "edit", "edit name, externalId and metadata", "write"),
    b("s", "status", "suspend or reactivate", "write"),
    b("t", "tier", "switch between trial and paid", "write"),
    b("x", "cancel", "cancel the organization (soft delete)", "write")
  ],
  "organization.credits": [b("a", "allocate", "set the credit allocation", "admin")],
  "organization.pixel": [
    ...move.slice(0, 2),
    b("a", "add", "add an allowed domain", "write"),
    b("d", "remove", "remove the selected domain", "write"),
    b("e", "toggle", "enable or disable the pixel", "write")
  ],
  "organization.visitors": [
    ...move.slice(0, 2),
    b("/", "search", "search by email, name or company"),
    b("n", "nextPage", "next page"),
    b("p", "prevPage", "previous page"),
    b("enter", "open", "visitor detail with sessions")
  ],
  "organization.icp": [
    ...move.slice(0, 2),
    b("n", "create", "new ICP config", "write"),
    b(["e", "enter"], "edit", "edit the rules (live preview)", "write"),
    b("a", "toggle", "activate or deactivate", "write"),
    b("d", "delete", "delete the config", "write")
  ],
  apiKeys: [
    ...move.slice(0, 2),
    b("n", "create", "create a key", "admin"),
    b("x", "revoke", "revoke the selected key", "admin")
  ],
  webhooks: [
    ...move.slice(0, 2),
    b("e", "edit", "edit url, secret, enabled", "write"),
    b("t", "test", "send a test delivery", "write"),
    b("l", "logs", "delivery logs"),
    b("L", "listen", "listen: receive deliveries here, signature checked", "write")
  ],
  billing: [b("c", "calculate", "cost calculator")],
  branding: [b("e", "edit", "edit branding", "write")],
  domain: [
    b("s", "set", "set the custom domain", "write"),
    b("v", "verify", "verify the DNS records", "write")
  ]
} satisfies Record<string, ReadonlyArray<Binding>>

export type BindingContext = keyof typeof screenBindings

/** The binding a keypress selects, if any. */
export const match = (bindings: ReadonlyArray<Binding>, input: string, key: Key): Binding | undefined => {
  const name = keyName(input, key)
  return bindings.find((binding) => binding.keys.includes(name))
}

/** What the key in use may do. */
export interface Capabilities {
  readonly write: boolean
  readonly admin: boolean
  /** Why write actions are unavailable, for the help overlay and refusals. */
  readonly reason: string | undefined
}

export const fullCapabilities: Capabilities = { write: true, admin: true, reason: undefined }

/** Whether a binding is usable with these capabilities. */
export const allowed = (binding: Binding, capabilities: Capabilities): boolean =>
  binding.needs === undefined || capabilities[binding.needs]

/** The line shown when an unavailable action is tried. */
export const refusal = (binding: Binding, capabilities: Capabilities): string =>
  `Unavailable: ${binding.help} needs the ${binding.needs ?? "write"} scope${capabilities.reason === undefined ? "" : ` (${capabilities.reason})`}`

/**
 * Ink's `useInput`, but always calling the handler of the latest render: Ink re-subscribes handlers
 * in an effect, so a key arriving between a render and that effect would otherwise reach a stale one.
 */
export const useKeys = (
  handler: (input: string, key: Key) => void,
  options: { readonly isActive?: boolean } = {}
) => {
  const latest = useRef(handler)
  latest.current = handler
  const stable = useCallback((input: string, key: Key) => latest.current(input, key), [])
  useInput(stable, options.isActive === undefined ? {} : { isActive: options.isActive })
}

/**
 * A screen's state whose some values hold the keyboard (a form, a filter, a confirmation): setting it
 * also tells the App, which keeps the global keys off while `holds(state)`.
 */
export const useCapturingState = <S>(
  initial: S,
  holds: (state: S) => boolean,
  setCapture: (capture: boolean) => void
): readonly [S, (next: S) => void] => {
  const [state, setState] = useState(initial)
  const set = (next: S) => {
    setState(next)
    setCapture(holds(next))
  }
  return [state, set]
}

/** Whether a screen's mode is other than `View` (and so holds the keyboard). */
export const notViewing = (mode: { readonly _tag: string }): boolean => mode._tag !== "View"

/**
 * The cursor moved `by` rows in a list of `count`, kept inside it. Use it in a functional update
 * (`setCursor((c) => moveCursor(c, 1, rows.length))`): keys can arrive faster than renders, each
 * must move from where the last one left the cursor.
 */
export const moveCursor = (cursor: number, by: number, count: number): number =>
  Math.max(0, Math.min(count - 1, Math.min(cursor, count - 1) + by))
