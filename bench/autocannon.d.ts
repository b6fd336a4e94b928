// Minimal types for the parts of autocannon the bench uses (the package ships none).
declare module 'autocannon' {
  interface Histogram {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    p50: number
    p90: number
    p99: number
    total: number
  }

  interface Options {
    url: string
    connections?: number
    duration?: number
    workers?: number
    timeout?: number
    pipelining?: number
    headers?: Record<string, string>
    title?: string
  }

  interface Result {
    title?: string
    url: string
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
    statusCodeStats: Record<string, { count: number }>
    requests: Histogram & { sent: number }
    latency: Histogram & { totalCount: number }
    throughput: Histogram
  }

  function autocannon(opts: Options): Promise<Result>
  export default autocannon
}
