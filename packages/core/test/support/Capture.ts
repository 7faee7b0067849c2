import { Cause, Exit, Layer, List, Logger, LogLevel, Tracer } from "effect"
import { inspect } from "node:util"

/** Everything the SDK logged or put on spans while a test ran, as searchable text. */
export interface Captured {
  readonly logs: Array<string>
  readonly spans: Array<{ name: string; attributes: Map<string, unknown>; events: Array<string> }>
  readonly text: () => string
}

/** A tracer and logger that record spans (with attributes and events) and log lines. */
export const capture = (): { readonly captured: Captured; readonly layer: Layer.Layer<never> } => {
  const logs: Array<string> = []
  const spans: Captured["spans"] = []
  let ids = 0
  const tracer = Tracer.make({
    span(name, parent, context, links, startTime, kind) {
      const attributes = new Map<string, unknown>()
      const events: Array<string> = []
      spans.push({ name, attributes, events })
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span${++ids}`,
        traceId: "trace",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes,
        links,
        sampled: true,
        kind,
        // Reading a success value could consume a response body; failures are recorded in full.
        end: (_endTime, exit) => void (Exit.isFailure(exit) && events.push(Cause.pretty(exit.cause))),
        attribute: (key, value) => void attributes.set(key, value),
        event: (eventName, _time, attrs) => void events.push(`${eventName} ${inspect(attrs, { depth: 20 })}`),
        addLinks: () => {}
      }
      return span
    },
    context: (f) => f()
  })
  const logger = Logger.make(({ message, annotations, spans: logSpans, cause }) => {
    logs.push(inspect({ message, annotations, spans: List.toArray(logSpans), cause }, { depth: 20 }))
  })
  const captured: Captured = {
    logs,
    spans,
    text: () =>
      [
        ...logs,
        ...spans.flatMap((s) => [
          s.name,
          ...[...s.attributes].map(([k, v]) => `${k}=${String(v)}`),
          ...s.events
        ])
      ].join("\n")
  }
  const layer = Layer.mergeAll(
    Layer.setTracer(tracer),
    Logger.replace(Logger.defaultLogger, logger),
    Logger.minimumLogLevel(LogLevel.All)
  )
  return { captured, layer }
}
