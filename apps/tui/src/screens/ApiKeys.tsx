import { ApiKeys } from "@bullseye-partner/core/ApiKeys"
import type { ApiKey, Scope } from "@bullseye-partner/core/Domain/ApiKey"
import { Effect, Option, Redacted } from "effect"
import { useState } from "react"
import { Confirm } from "../components/Confirm.js"
import { Form } from "../components/Form.js"
import { pickedOf } from "../components/Toggles.js"
import { NoticeLine } from "../components/NoticeLine.js"
import { QueryView } from "../components/QueryView.js"
import { Table } from "../components/Table.js"
import { Box, Text } from "../components/Text.js"
import { date } from "../format.js"
import { keyName, moveCursor, notViewing, useCapturingState, useKeys } from "../Keybindings.js"
import type { ScreenProps } from "../Route.js"
import { useEffectQuery, useRefreshOn, valueOf } from "../Runtime.js"
import { Session } from "../Session.js"
import { useTheme } from "../Theme.js"
import { actionOf } from "./organization/OrgTab.js"

type Mode =
  | { readonly _tag: "View" }
  | { readonly _tag: "Create"; readonly values: Record<string, string>; readonly error?: string }
  | { readonly _tag: "Created"; readonly name: string; readonly plainKey: Redacted.Redacted<string> }
  | { readonly _tag: "Revoke"; readonly key: ApiKey; readonly own: boolean }

const allScopes: ReadonlyArray<Scope> = ["read", "write", "admin"]

/** Days from now as an ISO expiry, or undefined for "never"; a string is a problem to show. */
export const expiryOf = (text: string, now: Date): string | undefined | { readonly problem: string } => {
  const t = text.trim()
  if (t === "") return undefined
  if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 3650)
    return { problem: "Expiry: a number of days from 1 to 3650, or empty for never" }
  return new Date(now.getTime() + Number(t) * 86_400_000).toISOString()
}

/** API keys: list with status; create (scopes, expiry, the plain key shown once); revoke with a typed confirmation. */
export const ApiKeysScreen = ({
  active,
  width,
  height,
  capabilities,
  refreshTick,
  setCapture
}: ScreenProps) => {
  const theme = useTheme()
  const keys = useEffectQuery(
    () => Effect.all({ keys: Effect.flatMap(ApiKeys, (k) => k.list()), session: Session }),
    []
  )
  useRefreshOn(refreshTick, keys.refresh)
  const [cursor, setCursor] = useState(0)
  const [mode, setMode] = useCapturingState<Mode>({ _tag: "View" }, notViewing, setCapture)
  const value = valueOf(keys.state)
  const rows = value?.keys ?? []
  const at = Math.min(cursor, Math.max(0, rows.length - 1))

  useKeys(
    (input, key) => {
      if (mode._tag === "Created") {
        if (keyName(input, key) === "enter" || keyName(input, key) === "esc") setMode({ _tag: "View" })
        return
      }
      if (mode._tag !== "View") return
      switch (actionOf("apiKeys", input, key, capabilities, keys.setNotice)) {
        case "up":
          return setCursor((c) => moveCursor(c, -1, rows.length))
        case "down":
          return setCursor((c) => moveCursor(c, 1, rows.length))
        case "create":
          return setMode({ _tag: "Create", values: { name: "", scopes: "read", expiry: "" } })
        case "revoke": {
          const selected = rows[at]
          if (selected === undefined) return
          if (selected.status !== "active") {
            return keys.setNotice({ kind: "error", text: `${selected.name} is already ${selected.status}` })
          }
          return setMode({
            _tag: "Revoke",
            key: selected,
            own: selected.keyPrefix === value?.session.keyPrefix
          })
        }
      }
    },
    { isActive: active }
  )

  const create = (values: Record<string, string>) => {
    const name = (values["name"] ?? "").trim()
    const picked = pickedOf(values["scopes"] ?? "", allScopes)
    const scopes = allScopes.filter((s) => picked.includes(s))
    const expiresAt = expiryOf(values["expiry"] ?? "", new Date())
    const problem =
      name === ""
        ? "The name cannot be empty"
        : scopes.length === 0
          ? "Pick at least one scope"
          : typeof expiresAt === "object"
            ? expiresAt.problem
            : undefined
    if (problem !== undefined) return setMode({ _tag: "Create", values, error: problem })
    const [first, ...rest] = scopes
    if (first === undefined) return
    setMode({ _tag: "View" })
    void keys
      .run(
        "Creating key…",
        Effect.flatMap(ApiKeys, (k) =>
          k.create({
            name,
            scopes: [first, ...rest],
            ...(typeof expiresAt === "string" ? { expiresAt } : {})
          })
        ).pipe(
          // The key exists and this is the only time its value is sent: show it even when the rest of the answer is off.
          Effect.catchTag("UndecodedApiKey", (e) => Effect.succeed({ plainKey: e.plainKey }))
        ),
        () => undefined
      )
      .then((created) => {
        if (Option.isSome(created)) setMode({ _tag: "Created", name, plainKey: created.value.plainKey })
        keys.refresh()
      })
  }

  const revoke = (target: ApiKey) => {
    setMode({ _tag: "View" })
    void keys
      .run(
        "Revoking…",
        Effect.flatMap(ApiKeys, (k) => k.revoke(target.id)),
        () => `Revoked ${target.name}`
      )
      .then(keys.refresh)
  }

  return (
    <Box flexDirection="column">
      <Text bold>API keys</Text>
      <QueryView state={keys.state} label="API keys">
        {({ keys: list, session }) => (
          <Table
            columns={[
              {
                title: "Name",
                width: Math.max(14, width - 64),
                cell: (k: ApiKey) => `${k.keyPrefix === session.keyPrefix ? "* " : ""}${k.name}`
              },
              { title: "Prefix", width: 12, cell: (k) => `${k.keyPrefix}…` },
              { title: "Scopes", width: 16, cell: (k) => k.scopes.join(",") },
              {
                title: "Status",
                width: 7,
                cell: (k) => k.status,
                color: (k) =>
                  k.status === "active" ? theme.ok : k.status === "revoked" ? theme.error : theme.warn
              },
              {
                title: "Expires",
                width: 10,
                cell: (k) => (k.expiresAt === null ? "never" : k.expiresAt.slice(0, 10))
              },
              { title: "Last used", width: 10, cell: (k) => date(k.lastUsedAt) }
            ]}
            rows={list}
            cursor={at}
            height={Math.max(3, height - 12)}
            rowKey={(k) => k.id}
            empty="No keys"
          />
        )}
      </QueryView>
      {mode._tag === "Create" ? (
        <Form
          title="Create an API key"
          fields={[
            { name: "name", label: "Name" },
            {
              name: "scopes",
              label: "Scopes",
              choices: allScopes,
              hint: "←/→ move · Space or r/w/a toggles · write includes read, admin includes both"
            },
            { name: "expiry", label: "Expires in days", placeholder: "(empty: never)" }
          ]}
          values={mode.values}
          onChange={(values) => setMode({ ...mode, values })}
          onSubmit={create}
          onCancel={() => setMode({ _tag: "View" })}
          error={mode.error}
        />
      ) : null}
      {mode._tag === "Created" ? (
        <Box flexDirection="column" borderStyle="double" borderColor={theme.warn} paddingX={1}>
          <Text bold>Key {mode.name} created. Copy it now: it is shown only this once.</Text>
          <Text color={theme.ok} bold>
            {Redacted.value(mode.plainKey)}
          </Text>
          <Text color={theme.warn}>
            Store it in a secret manager; Bullseye keeps only a hash. Enter or Esc closes.
          </Text>
        </Box>
      ) : null}
      {mode._tag === "Revoke" ? (
        <Confirm
          message={`Revoke ${mode.key.name} (${mode.key.keyPrefix}…)? Revoking is immediate and permanent.`}
          typed={mode.key.name}
          loud={
            mode.own
              ? "This is the key this TUI is using: after revoking it every request here will fail."
              : undefined
          }
          onConfirm={() => revoke(mode.key)}
          onCancel={() => setMode({ _tag: "View" })}
        />
      ) : null}
      <NoticeLine pending={keys.pending} notice={keys.notice} />
      <Text color={theme.muted}>n create · x revoke · * the key this TUI uses</Text>
    </Box>
  )
}
