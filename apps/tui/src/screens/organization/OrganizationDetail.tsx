import { Organizations } from "@bullseye-partner/core/Organizations"
import { Effect } from "effect"
import { useCallback, useEffect, useState } from "react"
import { QueryView } from "../../components/QueryView.js"
import { Box, Text } from "../../components/Text.js"
import { match, screenBindings, type BindingContext, useKeys } from "../../Keybindings.js"
import type { ScreenProps } from "../../Route.js"
import { useEffectQuery, useRefreshOn } from "../../Runtime.js"
import { useTheme } from "../../Theme.js"
import { CreditsTab } from "./CreditsTab.js"
import { IcpTab } from "./IcpTab.js"
import { OverviewTab } from "./OverviewTab.js"
import { PixelTab } from "./PixelTab.js"
import { VisitorsTab } from "./VisitorsTab.js"

const tabs = [
  { id: "overview", title: "Overview" },
  { id: "credits", title: "Credits" },
  { id: "pixel", title: "Pixel" },
  { id: "visitors", title: "Visitors" },
  { id: "icp", title: "ICP configs" }
] as const

type TabId = (typeof tabs)[number]["id"]

/** One organization, with tabs for its overview, credits, pixel, visitors and ICP configs. */
export const OrganizationDetail = ({
  id,
  onTab,
  active,
  width,
  height,
  capabilities,
  refreshTick,
  setCapture
}: ScreenProps & { readonly id: string; readonly onTab: (context: BindingContext) => void }) => {
  const theme = useTheme()
  const org = useEffectQuery(() => Effect.flatMap(Organizations, (o) => o.get(id)), [id])
  useRefreshOn(refreshTick, org.refresh)
  const [tab, setTab] = useState<TabId>("overview")
  const [capturing, setCapturing] = useState(false)
  useEffect(() => onTab(`organization.${tab}`), [tab, onTab])
  const capture = useCallback(
    (on: boolean) => {
      setCapturing(on)
      setCapture(on)
    },
    [setCapture]
  )

  useKeys(
    (input, key) => {
      const binding = match(screenBindings.organization, input, key)
      const step = binding?.action === "nextTab" ? 1 : binding?.action === "prevTab" ? tabs.length - 1 : 0
      if (step === 0) return
      // Functional: two quick Tabs move two tabs even before the first one is drawn.
      setTab((current) => {
        const index = tabs.findIndex((t) => t.id === current)
        return tabs[(index + step) % tabs.length]?.id ?? "overview"
      })
    },
    { isActive: active && !capturing }
  )

  return (
    <QueryView state={org.state} label="organization">
      {(o) => {
        const props = {
          org: o,
          reload: org.refresh,
          active,
          width,
          height: height - 2,
          capabilities,
          refreshTick,
          setCapture: capture
        }
        return (
          <Box flexDirection="column">
            <Text wrap="truncate-end">
              <Text bold>{o.name} </Text>
              {tabs.map((t) => (
                <Text
                  key={t.id}
                  color={t.id === tab ? theme.accent : theme.muted}
                  bold={t.id === tab}
                  inverse={t.id === tab && theme.color}
                >
                  {` ${t.title} `}
                </Text>
              ))}
              <Text color={theme.muted}> Tab/←→ switch · Esc back</Text>
            </Text>
            <Text> </Text>
            {tab === "overview" ? <OverviewTab {...props} /> : null}
            {tab === "credits" ? <CreditsTab {...props} /> : null}
            {tab === "pixel" ? <PixelTab {...props} /> : null}
            {tab === "visitors" ? <VisitorsTab {...props} /> : null}
            {tab === "icp" ? <IcpTab {...props} /> : null}
          </Box>
        )
      }}
    </QueryView>
  )
}
