import { moveCursor, notViewing, useCapturingState, useKeys } from "../../Keybindings.js"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { Effect } from "effect"
import { useState } from "react"
import { Confirm } from "../../components/Confirm.js"
import { Form } from "../../components/Form.js"
import { NoticeLine } from "../../components/NoticeLine.js"
import { QueryView } from "../../components/QueryView.js"
import { Box, Text } from "../../components/Text.js"
import { dateTime } from "../../format.js"
import { useEffectQuery, useRefreshOn } from "../../Runtime.js"
import { useTheme } from "../../Theme.js"
import { actionOf, type OrgTabProps } from "./OrgTab.js"

type Mode =
  | { readonly _tag: "View" }
  | { readonly _tag: "Add"; readonly domain: string; readonly error?: string }
  | { readonly _tag: "Remove"; readonly domain: string }

const hostname = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

/** The pixel snippet and its allowed domains. */
export const PixelTab = ({ org, active, capabilities, refreshTick, setCapture }: OrgTabProps) => {
  const theme = useTheme()
  const pixel = useEffectQuery(() => Effect.flatMap(Organizations, (o) => o.getPixel(org.id)), [org.id])
  useRefreshOn(refreshTick, pixel.refresh)
  const [cursor, setCursor] = useState(0)
  const [mode, setMode] = useCapturingState<Mode>({ _tag: "View" }, notViewing, setCapture)
  const domains = pixel.state._tag === "Success" ? pixel.state.value.allowedDomains : []
  const enabled = pixel.state._tag === "Success" ? pixel.state.value.enabled : false

  const save = (label: string, payload: { allowedDomains?: ReadonlyArray<string>; enabled?: boolean }) => {
    setMode({ _tag: "View" })
    void pixel
      .run(
        label,
        Effect.flatMap(Organizations, (o) => o.updatePixel(org.id, payload)),
        () => "Pixel saved"
      )
      .then(pixel.refresh)
  }

  useKeys(
    (input, key) => {
      switch (actionOf("organization.pixel", input, key, capabilities, pixel.setNotice)) {
        case "up":
          return setCursor((c) => moveCursor(c, -1, domains.length))
        case "down":
          return setCursor((c) => moveCursor(c, 1, domains.length))
        case "add":
          return setMode({ _tag: "Add", domain: "" })
        case "remove": {
          const domain = domains[Math.min(cursor, domains.length - 1)]
          if (domain !== undefined) setMode({ _tag: "Remove", domain })
          return
        }
        case "toggle":
          return save(enabled ? "Disabling…" : "Enabling…", { enabled: !enabled })
      }
    },
    { isActive: active && mode._tag === "View" }
  )

  return (
    <QueryView state={pixel.state} label="pixel">
      {(p) => (
        <Box flexDirection="column">
          <Text>
            <Text bold>Pixel </Text>
            {p.pixelId}{" "}
            <Text color={p.enabled ? theme.ok : theme.warn}>{p.enabled ? "enabled" : "disabled"}</Text>
            <Text color={theme.muted}> · last event {dateTime(p.lastEventAt)}</Text>
          </Text>
          <Text bold>Snippet</Text>
          <Text color={theme.accent}>{p.snippet}</Text>
          <Text bold>
            Allowed domains {p.allowedDomains.length === 0 ? "(none: the pixel accepts no site)" : ""}
          </Text>
          {p.allowedDomains.map((d, i) => (
            <Text key={d} inverse={i === cursor && theme.color}>
              {i === cursor ? "> " : "  "}
              {d}
            </Text>
          ))}
          {mode._tag === "Add" ? (
            <Form
              title="Add an allowed domain"
              fields={[{ name: "domain", label: "Domain", placeholder: "shop.example.com or *.example.com" }]}
              values={{ domain: mode.domain }}
              onChange={(v) => setMode({ _tag: "Add", domain: v["domain"] ?? "" })}
              onSubmit={(v) => {
                const typed = v["domain"] ?? ""
                const domain = typed.trim().toLowerCase()
                if (!hostname.test(domain)) {
                  return setMode({
                    _tag: "Add",
                    domain: typed,
                    error: "Enter a bare hostname such as shop.example.com"
                  })
                }
                save("Adding domain…", {
                  allowedDomains: [...p.allowedDomains.filter((d) => d !== domain), domain]
                })
              }}
              onCancel={() => setMode({ _tag: "View" })}
              error={mode.error}
            />
          ) : null}
          {mode._tag === "Remove" ? (
            <Confirm
              message={`Remove ${mode.domain} from the allowed domains?`}
              onConfirm={() =>
                save("Removing domain…", {
                  allowedDomains: p.allowedDomains.filter((d) => d !== mode.domain)
                })
              }
              onCancel={() => setMode({ _tag: "View" })}
            />
          ) : null}
          <NoticeLine pending={pixel.pending} notice={pixel.notice} />
          <Text color={theme.muted}>a add domain · d remove · e enable/disable</Text>
        </Box>
      )}
    </QueryView>
  )
}
