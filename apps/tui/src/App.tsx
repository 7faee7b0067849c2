import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import { Effect } from "effect"
import { useApp, useStdout } from "ink"
import { useCallback, useEffect, useState } from "react"
import { loadCapabilities } from "./Capabilities.js"
import { HelpOverlay } from "./components/HelpOverlay.js"
import { StatusBar } from "./components/StatusBar.js"
import { Box, Text } from "./components/Text.js"
import {
  fullCapabilities,
  globalBindings,
  match,
  screenBindings,
  topScreens,
  type Binding,
  type BindingContext,
  useKeys
} from "./Keybindings.js"
import type { Route, ScreenProps } from "./Route.js"
import { useEffectQuery, valueOf } from "./Runtime.js"
import { ApiKeysScreen } from "./screens/ApiKeys.js"
import { BillingScreen } from "./screens/Billing.js"
import { BrandingScreen } from "./screens/Branding.js"
import { Dashboard } from "./screens/Dashboard.js"
import { DomainScreen } from "./screens/Domain.js"
import { OrganizationDetail } from "./screens/organization/OrganizationDetail.js"
import { OrganizationsScreen } from "./screens/Organizations.js"
import { Palette } from "./screens/Palette.js"
import { WebhooksScreen } from "./screens/Webhooks.js"
import { Session } from "./Session.js"
import { useTheme } from "./Theme.js"

const useTerminalSize = () => {
  const { stdout } = useStdout()
  const [size, setSize] = useState(() => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 }))
  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 })
    stdout.on("resize", onResize)
    return () => {
      stdout.off("resize", onResize)
    }
  }, [stdout])
  return size
}

const titleOf = (route: Route): string =>
  route.screen === "organization"
    ? `Organization ${route.name}`
    : (topScreens.find((s) => s.id === route.screen)?.title ?? route.screen)

const meterQuery = Effect.flatMap(PartnerClient.PartnerClient, (client) => client.governor.state.get)

/**
 * The status bar with its live rate-limit meter. The meter is polled here, not in the App, so that
 * its refresh twice a second re-renders this line only, not the App and the screen under it.
 */
const StatusLine = ({ readOnlyReason }: { readonly readOnlyReason: string | undefined }) => {
  const session = useEffectQuery(() => Session, [])
  const meter = useEffectQuery(() => meterQuery, [], { intervalMs: 500 })
  return session.state._tag === "Success" ? (
    <StatusBar
      session={session.state.value}
      meter={valueOf(meter.state)}
      now={Date.now()}
      readOnlyReason={readOnlyReason}
    />
  ) : (
    <Text> </Text>
  )
}

/** The whole console: navigation, global keys, overlays, the status bar, and the current screen. */
export const App = () => {
  const theme = useTheme()
  const { exit } = useApp()
  const { columns, rows } = useTerminalSize()
  const [stack, setStack] = useState<ReadonlyArray<Route>>([{ screen: "dashboard" }])
  const [overlay, setOverlay] = useState<"help" | "palette" | undefined>(undefined)
  const [capture, setCapture] = useState(false)
  const [refreshTick, setRefreshTick] = useState(0)
  const [tabContext, setTabContext] = useState<BindingContext | undefined>(undefined)
  const route = stack[stack.length - 1] ?? { screen: "dashboard" }

  const capabilities = valueOf(useEffectQuery(() => loadCapabilities, []).state) ?? fullCapabilities

  const navigate = useCallback((next: Route) => {
    setCapture(false)
    setTabContext(undefined)
    setStack((s) => (next.screen === "organization" ? [...s, next] : [next]))
  }, [])

  useKeys((input, key) => {
    if (overlay === "palette") return
    if (overlay === "help") {
      if (key.escape || input === "?") setOverlay(undefined)
      return
    }
    if (capture) return
    const binding = match(globalBindings, input, key)
    if (binding === undefined) return
    if (binding.action.startsWith("screen:")) {
      const id = binding.action.slice("screen:".length)
      const top = topScreens.find((s) => s.id === id)
      if (top !== undefined) navigate({ screen: top.id })
    } else if (binding.action === "palette") setOverlay("palette")
    else if (binding.action === "help") setOverlay("help")
    else if (binding.action === "refresh") setRefreshTick((t) => t + 1)
    else if (binding.action === "quit") exit()
    else if (binding.action === "back") {
      setTabContext(undefined)
      setStack((s) => (s.length > 1 ? s.slice(0, -1) : [{ screen: "dashboard" }]))
    }
  })

  const bodyHeight = Math.max(6, rows - 3)
  const props: ScreenProps = {
    active: overlay === undefined,
    width: columns,
    height: bodyHeight,
    capabilities,
    refreshTick,
    navigate,
    setCapture
  }
  const screenKeys: ReadonlyArray<Binding> =
    route.screen === "organization"
      ? [...screenBindings.organization, ...(tabContext === undefined ? [] : screenBindings[tabContext])]
      : screenBindings[route.screen]

  const screen = (() => {
    switch (route.screen) {
      case "dashboard":
        return <Dashboard {...props} />
      case "organizations":
        return <OrganizationsScreen {...props} />
      case "organization":
        return <OrganizationDetail {...props} id={route.id} onTab={setTabContext} />
      case "apiKeys":
        return <ApiKeysScreen {...props} />
      case "webhooks":
        return <WebhooksScreen {...props} />
      case "billing":
        return <BillingScreen {...props} />
      case "branding":
        return <BrandingScreen {...props} />
      case "domain":
        return <DomainScreen {...props} />
    }
  })()

  const short = columns < 110
  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>
          Bullseye{" "}
        </Text>
        {topScreens.map((s) => {
          const current =
            route.screen === s.id || (route.screen === "organization" && s.id === "organizations")
          return (
            <Text key={s.id} bold={current} color={current ? theme.accent : theme.muted} underline={current}>
              {s.key}
              {short ? ` ${s.short}` : ` ${s.title}`}{" "}
            </Text>
          )
        })}
        <Text color={theme.muted}>? help</Text>
      </Text>
      <Box flexDirection="column" height={bodyHeight} overflow="hidden">
        {overlay === "help" ? (
          <HelpOverlay
            title={titleOf(route)}
            screen={screenKeys}
            global={globalBindings}
            capabilities={capabilities}
          />
        ) : null}
        {overlay === "palette" ? (
          <Palette
            onClose={() => setOverlay(undefined)}
            onGo={(next) => {
              setOverlay(undefined)
              navigate(next)
            }}
          />
        ) : null}
        <Box flexDirection="column" display={overlay === "help" ? "none" : "flex"}>
          {screen}
        </Box>
      </Box>
      <StatusLine readOnlyReason={capabilities.write ? undefined : capabilities.reason} />
    </Box>
  )
}
