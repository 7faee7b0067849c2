import { useKeys } from "../../Keybindings.js"
import { Effect } from "effect"
import { useCallback, useState } from "react"
import { NoticeLine } from "../../components/NoticeLine.js"
import { Spinner } from "../../components/Spinner.js"
import { Box, Text } from "../../components/Text.js"
import { listen, type ListenEvent, type Received } from "../../Listener.js"
import { useEffectQuery, valueOf } from "../../Runtime.js"
import { Session } from "../../Session.js"
import { useTheme } from "../../Theme.js"

/** Listen mode: deliveries to a local receiver, live, with their signature checked. */
export const ListenView = () => {
  const theme = useTheme()
  const [url, setUrl] = useState<string | undefined>(undefined)
  const [received, setReceived] = useState<ReadonlyArray<Received>>([])
  const onEvent = useCallback((event: ListenEvent) => {
    if (event._tag === "Ready") setUrl(event.url)
    else setReceived((r) => [event.received, ...r].slice(0, 50))
  }, [])
  const session = valueOf(useEffectQuery(() => Session, []).state)
  const sandbox = session?.sandboxControl
  const listener = useEffectQuery(
    session === undefined
      ? undefined
      : session.mode === "sandbox"
        ? () => listen(onEvent)
        : () =>
            Effect.fail(
              new Error("Listen mode needs the sandbox: the real API cannot reach a receiver on this machine")
            ),
    [session]
  )
  useKeys((input) => {
    if (input === "s" && sandbox !== undefined && url !== undefined) {
      void listener.run(
        "Simulating an identification…",
        sandbox.identify({ count: 3 }),
        () => "Simulated 3 identifications"
      )
    }
  })
  return (
    <Box flexDirection="column">
      <Text bold>Listen mode</Text>
      {listener.state._tag === "Failure" ? <Text color={theme.error}>✗ {listener.state.message}</Text> : null}
      {url === undefined ? (
        listener.state._tag === "Failure" ? null : (
          <Spinner label="Starting the local receiver…" />
        )
      ) : (
        <Text>
          Receiving on <Text color={theme.accent}>{url}</Text>{" "}
          <Text color={theme.muted}>(the identification channel points here until you leave)</Text>
        </Text>
      )}
      <Text color={theme.muted}>
        {sandbox === undefined ? "" : "s simulate an identification · "}Esc stops listening and restores the
        channel
      </Text>
      <Text> </Text>
      {received.length === 0 && url !== undefined ? <Spinner label="Waiting for deliveries…" /> : null}
      {received.slice(0, 15).map((r) => (
        <Text key={`${r.deliveryId}-${r.at.getTime()}`} wrap="truncate-end">
          {r.at.toISOString().slice(11, 19)}{" "}
          <Text color={r.verified ? theme.ok : theme.error}>
            {r.verified ? "✓ signature ok" : "✗ signature bad"}
          </Text>{" "}
          {r.event} <Text color={theme.muted}>{r.summary}</Text>
        </Text>
      ))}
      <NoticeLine pending={listener.pending} notice={listener.notice} />
    </Box>
  )
}
