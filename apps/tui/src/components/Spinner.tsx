import { Text } from "./Text.js"
import { useEffect, useState } from "react"
import { useTheme } from "../Theme.js"

const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

/** A spinner with a label, for anything that takes a moment. */
export const Spinner = ({ label }: { readonly label: string }) => {
  const theme = useTheme()
  const [frame, setFrame] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % frames.length), 120)
    return () => clearInterval(timer)
  }, [])
  return (
    <Text color={theme.accent}>
      {frames[frame]} {label}
    </Text>
  )
}
