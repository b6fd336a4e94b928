import type { Generated, Selectable } from 'kysely'

export type DeliveryStatus = 'pending' | 'running' | 'done' | 'failed'

export interface EventsTable {
  id: Generated<string>
  type: string
  /** jsonb: written as a JSON string, read back as an object. */
  payload: Record<string, unknown> | string
  key: string | null
  occurred_at: Date
  dispatched_at: Date | null
}

/** One event's delivery to one handler. */
export interface EventDeliveriesTable {
  event_id: string
  handler: string
  status: DeliveryStatus
  attempts: number
  run_after: Date
  last_error: string | null
  done_at: Date | null
}

/** Every handler the worker has seen, so a new one can be given the events published before it existed. */
export interface EventHandlersTable {
  name: string
  event_type: string
  registered_at: Date
}

export interface ScheduledJobsTable {
  name: string
  last_started_at: Date | null
  last_finished_at: Date | null
  last_error: string | null
}

/** The events and jobs worker's tables; its queries see only these. */
export interface JobsTables {
  'platform.events': EventsTable
  'platform.event_deliveries': EventDeliveriesTable
  'platform.event_handlers': EventHandlersTable
  'platform.scheduled_jobs': ScheduledJobsTable
}

export type EventDeliveryRow = Selectable<EventDeliveriesTable>
export type ScheduledJobRow = Selectable<ScheduledJobsTable>
