import type { Organization } from "@bullseye-partner/core/Domain/Organization"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { Chunk, Effect, Stream } from "effect"
import { useMemo, useState } from "react"
import { TextField } from "../components/TextField.js"
import { Spinner } from "../components/Spinner.js"
import { Table, type Column } from "../components/Table.js"
import { Box, Text } from "../components/Text.js"
import { int } from "../format.js"
import { keyName, match, moveCursor, screenBindings, useCapturingState, useKeys } from "../Keybindings.js"
import type { ScreenProps } from "../Route.js"
import { useEffectQuery, useRefreshOn, valueOf } from "../Runtime.js"
import { useTheme, type Theme } from "../Theme.js"

const statuses = [undefined, "active", "suspended", "canceled"] as const
const tiers = [undefined, "trial", "paid"] as const
const sortKeys = ["created", "name", "externalId", "status", "tier", "used"] as const
export type SortKey = (typeof sortKeys)[number]

export interface OrgView {
  readonly filter: string
  readonly status: (typeof statuses)[number]
  readonly tier: (typeof tiers)[number]
  readonly sort: SortKey
  readonly descending: boolean
}

const compare: Record<SortKey, (a: Organization, b: Organization) => number> = {
  created: (a, b) => a.createdAt.localeCompare(b.createdAt),
  name: (a, b) => a.name.localeCompare(b.name),
  externalId: (a, b) => (a.externalId ?? "").localeCompare(b.externalId ?? ""),
  status: (a, b) => a.status.localeCompare(b.status),
  tier: (a, b) => a.tier.localeCompare(b.tier),
  used: (a, b) => (a.creditsUsed ?? 0) - (b.creditsUsed ?? 0)
}

/** The rows a view shows: filtered by text, status and tier, then sorted. */
export const applyView = (rows: ReadonlyArray<Organization>, view: OrgView): ReadonlyArray<Organization> => {
  const needle = view.filter.trim().toLowerCase()
  const kept = rows.filter(
    (o) =>
      (view.status === undefined || o.status === view.status) &&
      (view.tier === undefined || o.tier === view.tier) &&
      (needle === "" ||
        o.name.toLowerCase().includes(needle) ||
        (o.externalId ?? "").toLowerCase().includes(needle))
  )
  const order = compare[view.sort]
  return [...kept].sort((a, b) => (view.descending ? -order(a, b) : order(a, b)))
}

const statusColor = (theme: Theme) => (o: Organization) =>
  o.status === "active" ? theme.ok : o.status === "suspended" ? theme.warn : theme.muted

const columnsFor = (width: number, theme: Theme): ReadonlyArray<Column<Organization>> => [
  { title: "Name", width: Math.max(12, width - 54), cell: (o) => o.name },
  { title: "External id", width: 14, cell: (o) => o.externalId ?? "–" },
  { title: "Status", width: 9, cell: (o) => o.status, color: statusColor(theme) },
  { title: "Tier", width: 5, cell: (o) => o.tier },
  {
    title: "Used/allocated",
    width: 17,
    align: "right",
    cell: (o) => `${int(o.creditsUsed ?? 0)}/${int(o.credits)}`
  }
]

const cycle = <A,>(values: ReadonlyArray<A>, current: A): A =>
  values[(values.indexOf(current) + 1) % values.length] as A

const pageSize = 100
const firstPage = Effect.flatMap(Organizations, (o) => o.list({ pageSize }))
type FirstPage = Effect.Effect.Success<typeof firstPage>
// Every organization, walking on from page 1 (already shown) instead of asking for it again.
const everyPage = (first: FirstPage) =>
  Effect.flatMap(Organizations, (o) => Stream.runCollect(o.listAll({}, pageSize, first))).pipe(
    Effect.map(Chunk.toReadonlyArray)
  )

/** Every organization: paged in from the API, then filtered, sorted and scrolled locally. */
export const OrganizationsScreen = ({
  active,
  width,
  height,
  navigate,
  setCapture,
  refreshTick
}: ScreenProps) => {
  const theme = useTheme()
  const first = useEffectQuery(() => firstPage, [])
  const firstValue = valueOf(first.state)
  // Each new page 1 (a refresh) walks the rest again; meanwhile the last full list stays on screen.
  const all = useEffectQuery(
    firstValue === undefined ? undefined : () => everyPage(firstValue),
    [firstValue],
    { keepPrevious: true }
  )
  useRefreshOn(refreshTick, first.refresh)
  const [view, setView] = useState<OrgView>({
    filter: "",
    status: undefined,
    tier: undefined,
    sort: "created",
    descending: true
  })
  const [cursor, setCursor] = useState(0)
  const loaded = valueOf(all.state) ?? firstValue?.organizations ?? []
  const total = firstValue?.total ?? loaded.length
  const rows = useMemo(() => applyView(loaded, view), [loaded, view])
  const pageRows = Math.max(3, height - 4)
  const at = Math.min(cursor, Math.max(0, rows.length - 1))

  const [filtering, setFilterMode] = useCapturingState(false, (on) => on, setCapture)

  useKeys(
    (input, key) => {
      if (filtering) {
        const name = keyName(input, key)
        if (name === "esc") {
          setView((v) => ({ ...v, filter: "" }))
          setFilterMode(false)
        } else if (name === "enter") setFilterMode(false)
        else if (name === "up" || name === "down") {
          setCursor((c) => moveCursor(c, name === "up" ? -1 : 1, rows.length))
        }
        return
      }
      const binding = match(screenBindings.organizations, input, key)
      const last = Math.max(0, rows.length - 1)
      switch (binding?.action) {
        // Functional updates: keys can arrive faster than renders, each must move from the last.
        case "up":
          return setCursor((c) => moveCursor(c, -1, rows.length))
        case "down":
          return setCursor((c) => moveCursor(c, 1, rows.length))
        case "pageUp":
          return setCursor((c) => moveCursor(c, -pageRows, rows.length))
        case "pageDown":
          return setCursor((c) => moveCursor(c, pageRows, rows.length))
        case "first":
          return setCursor(0)
        case "last":
          return setCursor(last)
        case "filter":
          return setFilterMode(true)
        case "status":
          setCursor(0)
          return setView((v) => ({ ...v, status: cycle(statuses, v.status) }))
        case "tier":
          setCursor(0)
          return setView((v) => ({ ...v, tier: cycle(tiers, v.tier) }))
        case "sort":
          return setView((v) => ({ ...v, sort: cycle(sortKeys, v.sort) }))
        case "reverse":
          return setView((v) => ({ ...v, descending: !v.descending }))
        case "open": {
          const org = rows[at]
          if (org !== undefined) navigate({ screen: "organization", id: org.id, name: org.name })
          return
        }
      }
    },
    { isActive: active }
  )

  if (first.state._tag === "Loading") return <Spinner label="Loading organizations…" />
  if (first.state._tag === "Failure")
    return <Text color={theme.error}>✗ {first.state.message} (r retries)</Text>
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Organizations </Text>
        <Text color={theme.muted}>
          {int(rows.length)} shown of {int(total)}
          {all.state._tag === "Loading" ? ` (loading ${int(total)}…)` : ""} · status {view.status ?? "all"} ·
          tier {view.tier ?? "all"} · sort {view.sort} {view.descending ? "↓" : "↑"}
        </Text>
      </Text>
      <Box>
        <Text color={filtering ? theme.accent : theme.muted}>/ </Text>
        {filtering ? (
          <TextField
            value={view.filter}
            onChange={(filter) => {
              setView((v) => ({ ...v, filter }))
              setCursor(0)
            }}
            placeholder="name or externalId"
          />
        ) : (
          <Text color={theme.muted}>{view.filter === "" ? "(press / to filter)" : view.filter}</Text>
        )}
      </Box>
      <Table
        columns={columnsFor(width, theme)}
        rows={rows}
        cursor={at}
        height={pageRows}
        rowKey={(o) => o.id}
        empty="No organization matches"
      />
      <Text color={theme.muted} wrap="truncate-end">
        ↑↓ move · Enter open · / filter · f status · t tier · s sort · S reverse
      </Text>
    </Box>
  )
}
