import type { WebhookDelivery, WebhookType } from "@bullseye-partner/core/Domain/Webhook"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import { Effect, Redacted } from "effect"
import { useState } from "react"
import { Form } from "../components/Form.js"
import { NoticeLine } from "../components/NoticeLine.js"
import { QueryView } from "../components/QueryView.js"
import { Box, Text } from "../components/Text.js"
import { keyName, notViewing, useCapturingState, useKeys } from "../Keybindings.js"
import type { ScreenProps } from "../Route.js"
import { useEffectQuery, useRefreshOn } from "../Runtime.js"
import { useTheme } from "../Theme.js"
import { actionOf } from "./organization/OrgTab.js"
import { DeliveryLogs } from "./webhooks/DeliveryLogs.js"
import { ListenView } from "./webhooks/ListenView.js"

const types: ReadonlyArray<WebhookType> = ["identification", "billing"]

type Mode =
  | { readonly _tag: "View" }
  | {
      readonly _tag: "Edit"
      readonly type: WebhookType
      readonly values: Record<string, string>
      readonly error?: string
    }
  | { readonly _tag: "Logs" }
  | { readonly _tag: "Listen" }

const describeDelivery = (d: WebhookDelivery): string =>
  `Test ${d.type} delivery: ${d.status}${d.responseStatus === null ? "" : ` (HTTP ${d.responseStatus})`}${
    d.durationMs === null ? "" : ` in ${d.durationMs} ms`
  }${d.error === null ? "" : `: ${d.error}`}`

/** Both webhook channels: edit, send a test, delivery logs, and listen mode. */
export const WebhooksScreen = ({ active, height, capabilities, refreshTick, setCapture }: ScreenProps) => {
  const theme = useTheme()
  const channels = useEffectQuery(() => Effect.flatMap(Webhooks, (w) => w.get()), [])
  useRefreshOn(refreshTick, channels.refresh)
  const [cursor, setCursor] = useState(0)
  const [mode, setMode] = useCapturingState<Mode>({ _tag: "View" }, notViewing, setCapture)
  const type = types[cursor] ?? "identification"

  useKeys(
    (input, key) => {
      if (mode._tag === "Logs" || mode._tag === "Listen") {
        if (keyName(input, key) === "esc") {
          setMode({ _tag: "View" })
          channels.refresh()
        }
        return
      }
      if (mode._tag !== "View") return
      switch (actionOf("webhooks", input, key, capabilities, channels.setNotice)) {
        case "up":
          return setCursor(0)
        case "down":
          return setCursor(1)
        case "edit": {
          const channel = channels.state._tag === "Success" ? channels.state.value[type] : undefined
          return setMode({
            _tag: "Edit",
            type,
            values: { url: channel?.url ?? "", secret: "", enabled: channel?.enabled === true ? "yes" : "no" }
          })
        }
        case "test":
          void channels.run(
            "Sending a test delivery…",
            Effect.flatMap(Webhooks, (w) => w.test(type)),
            describeDelivery
          )
          return
        case "logs":
          return setMode({ _tag: "Logs" })
        case "listen":
          return setMode({ _tag: "Listen" })
      }
    },
    { isActive: active }
  )

  const save = (target: WebhookType, values: Record<string, string>) => {
    const url = (values["url"] ?? "").trim()
    const secret = values["secret"] ?? ""
    const enabled = (values["enabled"] ?? "").trim().toLowerCase()
    if (!["yes", "no", "y", "n", "true", "false"].includes(enabled)) {
      return setMode({ _tag: "Edit", type: target, values, error: "Enabled: yes or no" })
    }
    if (secret !== "" && (secret.length < 8 || secret.length > 256)) {
      return setMode({ _tag: "Edit", type: target, values, error: "The secret needs 8 to 256 characters" })
    }
    setMode({ _tag: "View" })
    void channels
      .run(
        "Saving channel…",
        Effect.flatMap(Webhooks, (w) =>
          w.update(target, {
            url: url === "" ? null : url,
            enabled: enabled.startsWith("y") || enabled === "true",
            ...(secret === "" ? {} : { secret: Redacted.make(secret) })
          })
        ),
        () => `Saved the ${target} channel`
      )
      .then(channels.refresh)
  }

  if (mode._tag === "Logs") return <DeliveryLogs height={height} />
  if (mode._tag === "Listen") return <ListenView />
  return (
    <Box flexDirection="column">
      <Text bold>Webhooks</Text>
      <QueryView state={channels.state} label="webhook channels">
        {(value) => (
          <Box flexDirection="column">
            {types.map((t, i) => (
              <Text key={t} inverse={i === cursor && theme.color} bold={i === cursor}>
                {i === cursor ? "> " : "  "}
                {t.padEnd(15)}
                <Text color={value[t].enabled ? theme.ok : theme.muted}>
                  {value[t].enabled ? "enabled " : "disabled"}
                </Text>{" "}
                {value[t].url ?? "(no url)"}{" "}
                <Text color={theme.muted}>{value[t].hasSecret ? "· secret set" : "· no secret"}</Text>
              </Text>
            ))}
          </Box>
        )}
      </QueryView>
      {mode._tag === "Edit" ? (
        <Form
          title={`Edit the ${mode.type} channel`}
          fields={[
            { name: "url", label: "URL", placeholder: "https://… (empty clears)" },
            {
              name: "secret",
              label: "Secret",
              mask: true,
              placeholder: "(unchanged)",
              hint: "8-256 characters; write-only"
            },
            { name: "enabled", label: "Enabled", hint: "yes or no" }
          ]}
          values={mode.values}
          onChange={(values) => setMode({ ...mode, values })}
          onSubmit={(values) => save(mode.type, values)}
          onCancel={() => setMode({ _tag: "View" })}
          error={mode.error}
        />
      ) : null}
      <NoticeLine pending={channels.pending} notice={channels.notice} />
      <Text color={theme.muted}>↑↓ channel · e edit · t test · l logs · L listen</Text>
    </Box>
  )
}
