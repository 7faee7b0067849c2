import type { ReactNode } from "react"
import type { QueryState } from "../Runtime.js"
import { useTheme } from "../Theme.js"
import { Spinner } from "./Spinner.js"
import { Text } from "./Text.js"

/** Renders a query: a spinner while it loads, its error line, or `children` with the value. */
export const QueryView = <A,>({
  state,
  label,
  children
}: {
  readonly state: QueryState<A>
  readonly label: string
  readonly children: (value: A) => ReactNode
}) => {
  const theme = useTheme()
  switch (state._tag) {
    case "Idle":
      return null
    case "Loading":
      return <Spinner label={`Loading ${label}…`} />
    case "Failure":
      return <Text color={theme.error}>✗ {state.message} (r retries)</Text>
    case "Success":
      return <>{children(state.value)}</>
  }
}
