import { createContext, useContext } from "react"

/** The colours the UI uses; every one is undefined under NO_COLOR. */
export interface Theme {
  readonly color: boolean
  readonly accent: string | undefined
  readonly ok: string | undefined
  readonly warn: string | undefined
  readonly error: string | undefined
  readonly muted: string | undefined
  readonly badge: string | undefined
}

/** The theme for a terminal with or without colours. */
export const makeTheme = (color: boolean): Theme =>
  color
    ? { color, accent: "cyan", ok: "green", warn: "yellow", error: "red", muted: "gray", badge: "magenta" }
    : {
        color,
        accent: undefined,
        ok: undefined,
        warn: undefined,
        error: undefined,
        muted: undefined,
        badge: undefined
      }

export const ThemeContext = createContext<Theme>(makeTheme(true))

/** The current theme. */
export const useTheme = (): Theme => useContext(ThemeContext)
