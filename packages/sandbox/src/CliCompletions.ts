// Shell completion scripts for the flag-only command lines (`bullseye-sandbox`, `bullseye-tui`); the runner's
// come from @effect/cli. Node built-ins only: a binary answers `--completions` before it loads anything else.

/** One flag of a command line, as completion needs it. */
export interface CliFlag {
  readonly name: string
  readonly short?: string | undefined
  readonly description: string
  /** What the flag takes: nothing (a switch), free text, a file path, or one of fixed words. */
  readonly value?: "text" | "file" | ReadonlyArray<string> | undefined
}

/** The shells `completionScript` writes for. */
export const shells = ["bash", "zsh", "fish"] as const

export type Shell = (typeof shells)[number]

/** Whether a string names a supported shell. */
export const isShell = (name: string): name is Shell => (shells as ReadonlyArray<string>).includes(name)

const functionName = (program: string) => `_${program.replace(/[^A-Za-z0-9]/g, "_")}`

const words = (flag: CliFlag) => [`--${flag.name}`, ...(flag.short === undefined ? [] : [`-${flag.short}`])]

const bash = (program: string, flags: ReadonlyArray<CliFlag>) => {
  const cases = flags.flatMap((flag) => {
    if (flag.value === undefined) return []
    const pattern = words(flag).join("|")
    if (flag.value === "file") return [`    ${pattern}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`]
    if (flag.value === "text") return [`    ${pattern}) return ;;`]
    return [`    ${pattern}) COMPREPLY=($(compgen -W "${flag.value.join(" ")}" -- "$cur")); return ;;`]
  })
  return [
    `${functionName(program)}() {`,
    `  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"`,
    `  case "$prev" in`,
    ...cases,
    `  esac`,
    `  COMPREPLY=($(compgen -W "${flags.flatMap((flag) => `--${flag.name}`).join(" ")}" -- "$cur"))`,
    `}`,
    `complete -F ${functionName(program)} ${program}`,
    ``
  ].join("\n")
}

const zshText = (text: string) => text.replace(/[[\]:\\]/g, "\\$&").replace(/'/g, `'\\''`)

const zsh = (program: string, flags: ReadonlyArray<CliFlag>) => {
  const specs = flags.map((flag) => {
    const description = `[${zshText(flag.description)}]`
    const action =
      flag.value === undefined
        ? ""
        : flag.value === "file"
          ? `:${flag.name}:_files`
          : flag.value === "text"
            ? `:${flag.name}: `
            : `:${flag.name}:(${flag.value.join(" ")})`
    return flag.short === undefined
      ? `    '--${flag.name}${description}${action}'`
      : `    '(-${flag.short} --${flag.name})'{-${flag.short},--${flag.name}}'${description}${action}'`
  })
  const name = functionName(program)
  return [
    `#compdef ${program}`,
    `${name}() {`,
    `  _arguments -s \\`,
    specs.join(" \\\n"),
    `}`,
    `if [ "$funcstack[1]" = "${name}" ]; then ${name} "$@"; else compdef ${name} ${program}; fi`,
    ``
  ].join("\n")
}

const fishText = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`

const fish = (program: string, flags: ReadonlyArray<CliFlag>) =>
  [
    `complete -c ${program} -f`,
    ...flags.map((flag) => {
      const short = flag.short === undefined ? "" : ` -s ${flag.short}`
      const value =
        flag.value === undefined
          ? ""
          : flag.value === "file"
            ? " -r -F"
            : flag.value === "text"
              ? " -x"
              : ` -x -a ${fishText(flag.value.join(" "))}`
      return `complete -c ${program}${short} -l ${flag.name}${value} -d ${fishText(flag.description)}`
    }),
    ``
  ].join("\n")

/** A completion script for `program` (load it with `source <(program --completions bash)` and the like). */
export const completionScript = (shell: Shell, program: string, flags: ReadonlyArray<CliFlag>): string =>
  shell === "bash" ? bash(program, flags) : shell === "zsh" ? zsh(program, flags) : fish(program, flags)
