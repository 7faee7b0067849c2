import type { Capabilities, TopScreenId } from "./Keybindings.js"

/** Where the user is; the App keeps a stack of them so Esc goes back. */
export type Route =
  | { readonly screen: TopScreenId }
  | { readonly screen: "organization"; readonly id: string; readonly name: string }

/** What the App hands every screen. */
export interface ScreenProps {
  /** False while an overlay (help, palette) holds the keyboard. */
  readonly active: boolean
  readonly width: number
  readonly height: number
  readonly capabilities: Capabilities
  /** Increases when the user presses `r`. */
  readonly refreshTick: number
  readonly navigate: (route: Route) => void
  /** A screen holding the keyboard (form, filter, confirmation) turns the global keys off. */
  readonly setCapture: (capture: boolean) => void
}
