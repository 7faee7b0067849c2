import { moveCursor, notViewing, useCapturingState, useKeys } from "../../Keybindings.js"
import type { IcpConfig } from "@bullseye-partner/core/Domain/IcpConfig"
import type { Visitor } from "@bullseye-partner/core/Domain/Visitor"
import { IcpConfigs } from "@bullseye-partner/core/IcpConfigs"
import { preview } from "@bullseye-partner/core/IcpEvaluator"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { Effect, Either } from "effect"
import { useMemo, useState } from "react"
import { Confirm } from "../../components/Confirm.js"
import { Form } from "../../components/Form.js"
import { NoticeLine } from "../../components/NoticeLine.js"
import { QueryView } from "../../components/QueryView.js"
import { Table } from "../../components/Table.js"
import { Box, Text } from "../../components/Text.js"
import { formatRules, parseRules, rulesHelp } from "../../IcpRulesText.js"
import { useEffectQuery, useRefreshOn, valueOf } from "../../Runtime.js"
import { useTheme } from "../../Theme.js"
import { actionOf, type OrgTabProps } from "./OrgTab.js"

const PREVIEW_VISITORS = 200

type Mode =
  | { readonly _tag: "View" }
  | { readonly _tag: "Edit"; readonly id: string | undefined; readonly values: Record<string, string> }
  | { readonly _tag: "Delete"; readonly config: IcpConfig }

const recentVisitors = (organizationId: string) =>
  Effect.flatMap(Organizations, (o) =>
    Effect.forEach(
      [1, 2],
      (page) => o.listVisitors(organizationId, { page, pageSize: PREVIEW_VISITORS / 2 }),
      {
        concurrency: 2
      }
    )
  ).pipe(Effect.map((pages) => pages.flatMap((p) => p.visitors)))

const Preview = ({
  text,
  visitors
}: {
  readonly text: string
  readonly visitors: ReadonlyArray<Visitor> | undefined
}) => {
  const theme = useTheme()
  const parsed = useMemo(() => parseRules(text), [text])
  if (Either.isLeft(parsed)) return <Text color={theme.warn}>{parsed.left}</Text>
  if (visitors === undefined) return <Text color={theme.muted}>loading recent visitors for the preview…</Text>
  const result = preview(parsed.right, visitors, new Date())
  return (
    <Text color={theme.ok} bold>
      matches {result.matches} of {result.total} recent visitors
    </Text>
  )
}

/** ICP configs: list, create, edit with a rule editor and a live preview against recent visitors, delete. */
export const IcpTab = ({ org, active, height, capabilities, refreshTick, setCapture }: OrgTabProps) => {
  const theme = useTheme()
  const configs = useEffectQuery(() => Effect.flatMap(IcpConfigs, (c) => c.list(org.id)), [org.id])
  const visitors = useEffectQuery(() => recentVisitors(org.id), [org.id])
  useRefreshOn(refreshTick, configs.refresh)
  const [cursor, setCursor] = useState(0)
  const [mode, setMode] = useCapturingState<Mode>({ _tag: "View" }, notViewing, setCapture)
  const rows = valueOf(configs.state) ?? []
  const selected = rows[Math.min(cursor, rows.length - 1)]

  const act = (label: string, effect: Effect.Effect<unknown, unknown, IcpConfigs>, done: string) => {
    setMode({ _tag: "View" })
    void configs.run(label, effect, () => done).then(configs.refresh)
  }

  useKeys(
    (input, key) => {
      switch (actionOf("organization.icp", input, key, capabilities, configs.setNotice)) {
        case "up":
          return setCursor((c) => moveCursor(c, -1, rows.length))
        case "down":
          return setCursor((c) => moveCursor(c, 1, rows.length))
        case "create":
          return setMode({ _tag: "Edit", id: undefined, values: { name: "", rules: "" } })
        case "edit":
          if (selected !== undefined) {
            setMode({
              _tag: "Edit",
              id: selected.id,
              values: { name: selected.name, rules: formatRules(selected.rules) }
            })
          }
          return
        case "toggle":
          if (selected !== undefined) {
            act(
              "Saving…",
              Effect.flatMap(IcpConfigs, (c) => c.update(org.id, selected.id, { active: !selected.active })),
              `${selected.name} is now ${selected.active ? "inactive" : "active"}`
            )
          }
          return
        case "delete":
          if (selected !== undefined) setMode({ _tag: "Delete", config: selected })
          return
      }
    },
    { isActive: active && mode._tag === "View" }
  )

  const save = (id: string | undefined, values: Record<string, string>) => {
    const name = (values["name"] ?? "").trim()
    const rules = parseRules(values["rules"] ?? "")
    if (name === "" || Either.isLeft(rules)) {
      return configs.setNotice({
        kind: "error",
        text: name === "" ? "The name cannot be empty" : Either.isLeft(rules) ? rules.left : ""
      })
    }
    act(
      "Saving ICP config…",
      Effect.flatMap(IcpConfigs, (c) =>
        id === undefined
          ? c.create(org.id, { name, rules: rules.right })
          : c.update(org.id, id, { name, rules: rules.right })
      ),
      `Saved ${name}`
    )
  }

  return (
    <Box flexDirection="column">
      <QueryView state={configs.state} label="ICP configs">
        {(list) => (
          <Table
            columns={[
              { title: "Prio", width: 4, align: "right", cell: (c: IcpConfig) => String(c.priority) },
              { title: "Name", width: 24, cell: (c) => c.name },
              {
                title: "Active",
                width: 6,
                cell: (c) => (c.active ? "yes" : "no"),
                color: (c) => (c.active ? theme.ok : theme.muted)
              },
              { title: "Rules", width: 40, cell: (c) => formatRules(c.rules) }
            ]}
            rows={list}
            cursor={Math.min(cursor, list.length - 1)}
            height={Math.max(3, Math.min(8, height - 10))}
            rowKey={(c) => c.id}
            empty="No ICP configs (n creates one)"
          />
        )}
      </QueryView>
      {mode._tag === "Edit" ? (
        <Form
          title={mode.id === undefined ? "New ICP config" : "Edit ICP config"}
          fields={[
            { name: "name", label: "Name" },
            { name: "rules", label: "Rules", hint: rulesHelp }
          ]}
          values={mode.values}
          onChange={(values) => setMode({ ...mode, values })}
          onSubmit={(values) => save(mode.id, values)}
          onCancel={() => setMode({ _tag: "View" })}
          footer={<Preview text={mode.values["rules"] ?? ""} visitors={valueOf(visitors.state)} />}
        />
      ) : null}
      {mode._tag === "Delete" ? (
        <Confirm
          message={`Delete the ICP config ${mode.config.name}? Existing visitors keep their score.`}
          onConfirm={() =>
            act(
              "Deleting…",
              Effect.flatMap(IcpConfigs, (c) => c.delete(org.id, mode.config.id)),
              `Deleted ${mode.config.name}`
            )
          }
          onCancel={() => setMode({ _tag: "View" })}
        />
      ) : null}
      <NoticeLine pending={configs.pending} notice={configs.notice} />
      <Text color={theme.muted}>n new · e edit (live preview) · a (de)activate · d delete</Text>
    </Box>
  )
}
