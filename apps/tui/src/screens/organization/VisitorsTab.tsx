import type { Visitor } from "@bullseye-partner/core/Domain/Visitor"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { Effect } from "effect"
import { useState } from "react"
import { TextField } from "../../components/TextField.js"
import { NoticeLine } from "../../components/NoticeLine.js"
import { QueryView } from "../../components/QueryView.js"
import { Table, type Column } from "../../components/Table.js"
import { Box, Text } from "../../components/Text.js"
import { dateTime, int } from "../../format.js"
import { keyName, moveCursor, useKeys } from "../../Keybindings.js"
import { useEffectQuery, useRefreshOn } from "../../Runtime.js"
import { useTheme } from "../../Theme.js"
import { actionOf, type OrgTabProps } from "./OrgTab.js"

const PAGE_SIZE = 20

const nameOf = (v: Visitor) => [v.firstName, v.lastName].filter((s) => s !== null).join(" ") || "–"

const columns = (width: number): ReadonlyArray<Column<Visitor>> => [
  { title: "Name", width: 18, cell: nameOf },
  { title: "Email", width: Math.max(12, width - 62), cell: (v) => v.email ?? "–" },
  { title: "Company", width: 16, cell: (v) => v.company?.name ?? "–" },
  { title: "ICP", width: 5, align: "right", cell: (v) => (v.icpScore === null ? "–" : String(v.icpScore)) },
  { title: "Identified", width: 16, cell: (v) => dateTime(v.identifiedAt) }
]

const VisitorDetailView = ({ orgId, visitorId }: { readonly orgId: string; readonly visitorId: string }) => {
  const theme = useTheme()
  const detail = useEffectQuery(
    () => Effect.flatMap(Organizations, (o) => o.getVisitor(orgId, visitorId)),
    [visitorId]
  )
  return (
    <QueryView state={detail.state} label="visitor">
      {(v) => (
        <Box flexDirection="column">
          <Text bold>
            {nameOf(v)} <Text color={theme.muted}>{v.email ?? ""}</Text>
          </Text>
          <Text>
            {v.jobTitle ?? "–"} at {v.company?.name ?? "–"} ({v.company?.industry ?? "–"},{" "}
            {v.company?.employeeSizeRange ?? "–"})
          </Text>
          <Text>
            {[v.location.city, v.location.region, v.location.country].filter((s) => s !== null).join(", ") ||
              "–"}{" "}
            · ICP {v.icpMatch ? "match" : "no match"} {v.icpScore ?? "–"} · {int(v.sessionCount)} sessions ·{" "}
            {int(v.pageViewCount)} page views
          </Text>
          <Text bold>Sessions</Text>
          {v.sessions.slice(0, 8).map((s) => (
            <Text key={s.id} wrap="truncate-end">
              {dateTime(s.startedAt)} {s.deviceType.padEnd(7)} {s.pagesVisited.length} pages · {s.landingPage}
              <Text color={theme.muted}> {s.utm.source === null ? "" : `utm ${s.utm.source}`}</Text>
            </Text>
          ))}
          <Text color={theme.muted}>Esc back to the list</Text>
        </Box>
      )}
    </QueryView>
  )
}

/** The organization's visitors, a page at a time from the API, searchable, with a detail view. */
export const VisitorsTab = ({
  org,
  active,
  width,
  height,
  capabilities,
  refreshTick,
  setCapture
}: OrgTabProps) => {
  const theme = useTheme()
  const [page, setPage] = useState(1)
  const [search, setSearch] = useState("")
  const [searching, setSearching] = useState(false)
  const [cursor, setCursor] = useState(0)
  const [open, setOpen] = useState<string | undefined>(undefined)
  const visitors = useEffectQuery(
    () =>
      Effect.flatMap(Organizations, (o) =>
        o.listVisitors(org.id, {
          page,
          pageSize: PAGE_SIZE,
          ...(search.trim() === "" ? {} : { search: search.trim() })
        })
      ),
    [org.id, page, search]
  )
  useRefreshOn(refreshTick, visitors.refresh)
  const rows = visitors.state._tag === "Success" ? visitors.state.value.visitors : []
  const total = visitors.state._tag === "Success" ? visitors.state.value.total : 0
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))

  useKeys(
    (input, key) => {
      const name = keyName(input, key)
      if (open !== undefined) {
        if (name === "esc") {
          setOpen(undefined)
          setCapture(false)
        }
        return
      }
      if (searching) {
        if (name === "esc" || name === "enter") {
          if (name === "esc") setSearch("")
          setSearching(false)
          setCapture(false)
        }
        return
      }
      switch (actionOf("organization.visitors", input, key, capabilities, visitors.setNotice)) {
        case "up":
          return setCursor((c) => moveCursor(c, -1, rows.length))
        case "down":
          return setCursor((c) => moveCursor(c, 1, rows.length))
        case "nextPage":
          setCursor(0)
          return setPage((p) => Math.min(pages, p + 1))
        case "prevPage":
          setCursor(0)
          return setPage((p) => Math.max(1, p - 1))
        case "search":
          setSearching(true)
          return setCapture(true)
        case "open": {
          const visitor = rows[cursor]
          if (visitor !== undefined) {
            setOpen(visitor.id)
            setCapture(true)
          }
          return
        }
      }
    },
    { isActive: active }
  )

  if (open !== undefined) return <VisitorDetailView orgId={org.id} visitorId={open} />
  return (
    <Box flexDirection="column">
      <Box>
        <Text bold>Visitors </Text>
        <Text color={theme.muted}>
          page {page} of {pages} · {int(total)} total ·{" "}
        </Text>
        <Text color={searching ? theme.accent : theme.muted}>/ </Text>
        {searching ? (
          <TextField
            value={search}
            onChange={(value) => {
              setSearch(value)
              setPage(1)
              setCursor(0)
            }}
            placeholder="email, name or company"
          />
        ) : (
          <Text color={theme.muted}>{search === "" ? "search" : search}</Text>
        )}
      </Box>
      <QueryView state={visitors.state} label="visitors">
        {() => (
          <Table
            columns={columns(width)}
            rows={rows}
            cursor={cursor}
            height={Math.max(3, height - 4)}
            rowKey={(v) => v.id}
            empty="No visitors"
          />
        )}
      </QueryView>
      <NoticeLine pending={visitors.pending} notice={visitors.notice} />
      <Text color={theme.muted}>↑↓ move · Enter detail · / search · n/p page</Text>
    </Box>
  )
}
