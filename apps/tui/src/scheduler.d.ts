// The two exports of React's scheduler (the `scheduler` package react-reconciler runs on) that KeyInput uses.
declare module "scheduler" {
  export const unstable_IdlePriority: number
  export function unstable_scheduleCallback(priority: number, callback: () => void): unknown
}
