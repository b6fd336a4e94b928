// What the platform's two Postgres-backed queues share (the notifications outbox and the events and jobs worker):
// their retry backoff, how a failure is recorded, their options, and the loop that runs a worker in the background.

const MAX_BACKOFF_SECONDS = 6 * 3600

/** The wait before the next attempt, after `attempts` attempts: backoff, 2×backoff, 4×backoff, … (capped). */
export function retryDelaySeconds(attempts: number, backoffSeconds: number): number {
  return Math.min(backoffSeconds * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_SECONDS)
}

/**
 * A failure as it is stored and logged: the error's class and message, never its other properties (which may hold
 * the data being processed). Code that throws must keep personal data out of its messages.
 */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : `thrown: ${typeof err}`
  return text.slice(0, 1000)
}

/** The caller's options over `defaults`; an option passed as undefined keeps its default. */
export function withDefaults<T extends object, O extends Partial<T>>(defaults: T, options: O): T & Omit<O, keyof T> {
  const set = Object.entries(options).filter(([, v]) => v !== undefined)
  return { ...defaults, ...Object.fromEntries(set) } as T & Omit<O, keyof T>
}

/**
 * Runs `work` at once, then again `intervalMs` after each run ends (straight away while it returns true: more is
 * waiting), never two runs at once. A run that throws is reported to `onError` and the loop carries on. Returns a
 * stop function that aborts the signal given to `work` and waits for the run in hand, so the caller can then close
 * the database safely.
 */
export function startPeriodic(
  work: (signal: AbortSignal) => Promise<boolean>,
  intervalMs: number,
  onError: (err: unknown) => void,
): () => Promise<void> {
  const stopping = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()

  const run = async () => {
    try {
      while ((await work(stopping.signal)) && !stopping.signal.aborted);
    } catch (err) {
      onError(err)
    }
  }
  const schedule = () => {
    if (stopping.signal.aborted) return
    timer = setTimeout(() => {
      running = run().then(schedule)
    }, intervalMs)
    timer.unref()
  }
  running = run().then(schedule)

  return async () => {
    stopping.abort()
    clearTimeout(timer)
    await running
  }
}
