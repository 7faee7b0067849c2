import type { WebhookChannel, WebhookDelivery, WebhookType } from "@bullseye-partner/core/Domain/Webhook"
import type { WebhookLogQuery } from "@bullseye-partner/core/Api/Webhooks"
import { SqlClient } from "@effect/sql"
import { Effect, Option, Redacted } from "effect"
import { uuid } from "../internal/random.js"
import { flag, int, intOrNull, text, textOrNull, type Row } from "../internal/rows.js"
import { storedTime, wireTime, wireTimeOrNull } from "../internal/time.js"
import { Vault } from "./Vault.js"

/** A channel as the dispatcher needs it: where to send and with which secret. */
export interface ChannelState {
  readonly url: string | null
  readonly enabled: boolean
  readonly secret: Option.Option<Redacted.Redacted<string>>
}

/** A channel change as accepted by `PUT /partner/webhooks/{type}`. */
export interface ChannelUpdate {
  readonly url?: string | null | undefined
  readonly secret?: Redacted.Redacted<string> | null | undefined
  readonly enabled?: boolean | undefined
}

/** A delivery the dispatcher must attempt. */
export interface DueDelivery {
  readonly id: string
  readonly partnerId: string
  readonly type: WebhookType
  readonly event: string
  readonly url: string
  readonly payload: string
  readonly attempts: number
}

/** The outcome of one delivery attempt. */
export interface AttemptResult {
  readonly responseStatus: number | null
  readonly error: string | null
  readonly durationMs: number
}

const toDelivery = (row: Row): WebhookDelivery => ({
  id: text(row, "id"),
  type: text(row, "type"),
  event: text(row, "event"),
  organizationId: textOrNull(row, "organization_id"),
  url: text(row, "url"),
  status: text(row, "status"),
  attempts: int(row, "attempts"),
  responseStatus: intOrNull(row, "response_status"),
  error: textOrNull(row, "error"),
  durationMs: intOrNull(row, "duration_ms"),
  createdAt: wireTime(text(row, "created_at")),
  lastAttemptAt: wireTimeOrNull(textOrNull(row, "last_attempt_at")),
  nextRetryAt: wireTimeOrNull(textOrNull(row, "next_retry_at"))
})

const toDue = (row: Row): DueDelivery => ({
  id: text(row, "id"),
  partnerId: text(row, "partner_id"),
  type: text(row, "type") === "billing" ? "billing" : "identification",
  event: text(row, "event"),
  url: text(row, "url"),
  payload: text(row, "payload"),
  attempts: int(row, "attempts")
})

const toChannel = (row: Row | undefined): WebhookChannel =>
  row === undefined
    ? { url: null, enabled: false, hasSecret: false }
    : {
        url: textOrNull(row, "url"),
        enabled: flag(row, "enabled"),
        hasSecret: textOrNull(row, "secret_ciphertext") !== null
      }

/** Webhook channels (secrets encrypted by the vault), deliveries and every attempt of each. */
export class Webhooks extends Effect.Service<Webhooks>()("@bullseye-partner/sandbox/Store/Webhooks", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const vault = yield* Vault

    const channelRow = (partnerId: string, type: WebhookType) =>
      sql`SELECT * FROM webhook_channels WHERE partner_id = ${partnerId} AND type = ${type}`.pipe(
        Effect.map((rows) => rows[0])
      )

    /** The channel as the API shows it (the secret stays sealed). */
    const channel = (partnerId: string, type: WebhookType) =>
      Effect.map(channelRow(partnerId, type), toChannel)

    const channels = Effect.fn("Webhooks.channels")(function* (partnerId: string) {
      return {
        identification: yield* channel(partnerId, "identification"),
        billing: yield* channel(partnerId, "billing")
      }
    })

    /** The channel with its secret unsealed, for signing a delivery. */
    const channelState = Effect.fn("Webhooks.channelState")(function* (partnerId: string, type: WebhookType) {
      const row = yield* channelRow(partnerId, type)
      if (row === undefined)
        return { url: null, enabled: false, secret: Option.none() } satisfies ChannelState
      const sealed = textOrNull(row, "secret_ciphertext")
      return {
        url: textOrNull(row, "url"),
        enabled: flag(row, "enabled"),
        secret: sealed === null ? Option.none() : Option.some(vault.decrypt(sealed))
      } satisfies ChannelState
    })

    /** The channel as it would be after the update (nothing is written). */
    const preview = Effect.fn("Webhooks.preview")(function* (
      partnerId: string,
      type: WebhookType,
      update: ChannelUpdate
    ) {
      const current = yield* channel(partnerId, type)
      return {
        url: update.url === undefined ? current.url : update.url,
        enabled: update.enabled ?? current.enabled,
        hasSecret: update.secret === undefined ? current.hasSecret : update.secret !== null
      } satisfies WebhookChannel
    })

    const updateChannel = Effect.fn("Webhooks.updateChannel")(function* (
      partnerId: string,
      type: WebhookType,
      update: ChannelUpdate,
      now: Date
    ) {
      const changes: Record<string, unknown> = { updated_at: storedTime(now) }
      if (update.url !== undefined) changes["url"] = update.url
      if (update.enabled !== undefined) changes["enabled"] = update.enabled ? 1 : 0
      if (update.secret !== undefined) {
        changes["secret_ciphertext"] = update.secret === null ? null : vault.encrypt(update.secret)
      }
      yield* sql`UPDATE webhook_channels SET ${sql.update(changes)} WHERE partner_id = ${partnerId} AND type = ${type}`
      return yield* channel(partnerId, type)
    })

    const createDelivery = Effect.fn("Webhooks.createDelivery")(function* (input: {
      readonly partnerId: string
      readonly type: WebhookType
      readonly event: string
      readonly organizationId: string | null
      readonly url: string
      readonly payload: string
      readonly now: Date
      /** False for a delivery attempted synchronously by its creator (never picked up by the dispatcher). */
      readonly queued?: boolean | undefined
    }) {
      const id = uuid()
      yield* sql`INSERT INTO webhook_deliveries ${sql.insert({
        id,
        partner_id: input.partnerId,
        type: input.type,
        event: input.event,
        organization_id: input.organizationId,
        url: input.url,
        payload: input.payload,
        status: "pending",
        attempts: 0,
        response_status: null,
        error: null,
        duration_ms: null,
        created_at: storedTime(input.now),
        last_attempt_at: null,
        next_retry_at: input.queued === false ? null : storedTime(input.now)
      })}`
      return id
    })

    const delivery = Effect.fn("Webhooks.delivery")(function* (deliveryId: string) {
      const rows = yield* sql`SELECT * FROM webhook_deliveries WHERE id = ${deliveryId}`
      return Option.map(Option.fromNullable(rows[0]), toDelivery)
    })

    const pending = Effect.fn("Webhooks.pending")(function* (deliveryId: string) {
      const rows =
        yield* sql`SELECT id, partner_id, type, event, url, payload, attempts FROM webhook_deliveries
        WHERE id = ${deliveryId}`
      return Option.map(Option.fromNullable(rows[0]), toDue)
    })

    const logs = Effect.fn("Webhooks.logs")(function* (partnerId: string, query: WebhookLogQuery) {
      const page = query.page ?? 1
      const pageSize = query.pageSize ?? 20
      const where = sql.and([
        sql`partner_id = ${partnerId}`,
        ...(query.type === undefined ? [] : [sql`type = ${query.type}`]),
        ...(query.status === undefined ? [] : [sql`status = ${query.status}`]),
        ...(query.organizationId === undefined ? [] : [sql`organization_id = ${query.organizationId}`])
      ])
      const counted =
        yield* sql`SELECT CAST(COUNT(*) AS INTEGER) AS total FROM webhook_deliveries WHERE ${where}`
      const rows = yield* sql`SELECT * FROM webhook_deliveries WHERE ${where}
        ORDER BY created_at DESC, id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`
      return {
        logs: rows.map(toDelivery),
        total: counted[0] === undefined ? 0 : int(counted[0], "total"),
        page,
        pageSize
      }
    })

    const due = Effect.fn("Webhooks.due")(function* (now: Date, limit: number) {
      const rows =
        yield* sql`SELECT id, partner_id, type, event, url, payload, attempts FROM webhook_deliveries
        WHERE status IN ('pending', 'retrying') AND next_retry_at <= ${storedTime(now)}
        ORDER BY next_retry_at, id LIMIT ${limit}`
      return rows.map(toDue)
    })

    /** Logs an attempt and moves the delivery to its next state (`nextRetryAt` set means another try). */
    const recordAttempt = Effect.fn("Webhooks.recordAttempt")(function* (
      deliveryId: string,
      attempt: number,
      result: AttemptResult,
      status: "success" | "retrying" | "failed",
      at: Date,
      nextRetryAt: Date | null
    ) {
      yield* sql`INSERT INTO webhook_attempts ${sql.insert({
        id: uuid(),
        delivery_id: deliveryId,
        attempt,
        attempted_at: storedTime(at),
        response_status: result.responseStatus,
        error: result.error,
        duration_ms: result.durationMs
      })}`
      yield* sql`UPDATE webhook_deliveries SET ${sql.update({
        status,
        attempts: attempt,
        response_status: result.responseStatus,
        error: result.error,
        duration_ms: result.durationMs,
        last_attempt_at: storedTime(at),
        next_retry_at: nextRetryAt === null ? null : storedTime(nextRetryAt)
      })} WHERE id = ${deliveryId}`
    })

    /** Ends a pending delivery without another attempt (its channel was disabled). */
    const abandon = Effect.fn("Webhooks.abandon")(function* (deliveryId: string, reason: string) {
      yield* sql`UPDATE webhook_deliveries SET status = 'failed', error = ${reason}, next_retry_at = NULL
        WHERE id = ${deliveryId}`
    })

    const attempts = Effect.fn("Webhooks.attempts")(function* (deliveryId: string) {
      const rows =
        yield* sql`SELECT * FROM webhook_attempts WHERE delivery_id = ${deliveryId} ORDER BY attempt`
      return rows.map((row) => ({
        attempt: int(row, "attempt"),
        attemptedAt: wireTime(text(row, "attempted_at")),
        responseStatus: intOrNull(row, "response_status"),
        error: textOrNull(row, "error"),
        durationMs: int(row, "duration_ms")
      }))
    })

    return {
      channel,
      channels,
      channelState,
      preview,
      updateChannel,
      createDelivery,
      delivery,
      pending,
      logs,
      due,
      recordAttempt,
      abandon,
      attempts
    }
  }),
  dependencies: [Vault.Default]
}) {}
