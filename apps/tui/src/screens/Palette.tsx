import { Organizations } from "@bullseye-partner/core/Organizations"
import { Effect } from "effect"
import { useState } from "react"
import { TextField } from "../components/TextField.js"
import { Box, Text } from "../components/Text.js"
import { keyName, moveCursor, topScreens, useKeys } from "../Keybindings.js"
import type { Route } from "../Route.js"
import { useEffectQuery, valueOf } from "../Runtime.js"
import { useTheme } from "../Theme.js"

interface Entry {
  readonly label: string
  readonly route: Route
}

/** `:` — jump to a screen or to an organization by name. */
export const Palette = ({
  onGo,
  onClose
}: {
  readonly onGo: (route: Route) => void
  readonly onClose: () => void
}) => {
  const theme = useTheme()
  const [text, setText] = useState("")
  const [cursor, setCursor] = useState(0)
  const needle = text.trim().toLowerCase()
  const orgs = useEffectQuery(
    needle.length === 0
      ? undefined
      : () =>
          Effect.flatMap(Organizations, (o) => o.list({ search: needle, pageSize: 6 })).pipe(
            Effect.map((page) => page.organizations)
          ),
    [needle]
  )
  const screens: ReadonlyArray<Entry> = topScreens
    .filter(
      (s) => needle === "" || s.title.toLowerCase().includes(needle) || s.id.toLowerCase().includes(needle)
    )
    .map((s) => ({ label: `screen  ${s.title}`, route: { screen: s.id } }))
  const organizations: ReadonlyArray<Entry> = (valueOf(orgs.state) ?? []).map((o) => ({
    label: `org     ${o.name}${o.externalId === null ? "" : ` (${o.externalId})`}`,
    route: { screen: "organization", id: o.id, name: o.name }
  }))
  const entries = [...screens, ...organizations]
  const selected = Math.min(cursor, Math.max(0, entries.length - 1))
  useKeys((input, key) => {
    const name = keyName(input, key)
    if (name === "esc") onClose()
    else if (name === "up") setCursor((c) => moveCursor(c, -1, entries.length))
    else if (name === "down") setCursor((c) => moveCursor(c, 1, entries.length))
  })
  return (
    <Box flexDirection="column" flexShrink={0} borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Box>
        <Text color={theme.accent}>:</Text>
        <TextField
          value={text}
          onChange={(value) => {
            setText(value)
            setCursor(0)
          }}
          onSubmit={() => {
            const entry = entries[selected]
            if (entry !== undefined) onGo(entry.route)
          }}
          placeholder="screen or organization name"
        />
      </Box>
      {entries.map((entry, i) => (
        <Text key={`${entry.label}-${i}`} inverse={i === selected && theme.color} bold={i === selected}>
          {i === selected ? "> " : "  "}
          {entry.label}
        </Text>
      ))}
      {orgs.state._tag === "Loading" ? <Text color={theme.muted}> searching…</Text> : null}
      {orgs.state._tag === "Failure" ? <Text color={theme.error}> {orgs.state.message}</Text> : null}
      <Text color={theme.muted}>↑↓ choose · Enter go · Esc close</Text>
    </Box>
  )
}
