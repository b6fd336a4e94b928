import { describe, expect, it } from 'vitest'
import type { ModuleManifest } from '../module.ts'
import { collectJobs } from './jobs.service.ts'

const handler = (name: string, eventType = 'choice.not-given') => ({ name, eventType, handle: async () => {} })
const job = (name: string, everySeconds = 60) => ({ name, everySeconds, run: async () => {} })
const manifest = (name: string, over: Partial<ModuleManifest>): ModuleManifest => ({
  name,
  dependsOn: [],
  migrations: {},
  ...over,
})

describe("collecting the modules' handlers and scheduled jobs", () => {
  it('gathers them from every module', () => {
    const { handlers, jobs } = collectJobs([
      manifest('redress', { eventHandlers: [handler('redress.open-complaint')] }),
      manifest('choice', { scheduledJobs: [job('choice.find-deadlines-passed')] }),
      manifest('charter', { eventHandlers: [handler('charter.count-refusal')] }),
    ])
    expect(handlers.map((h) => h.name)).toEqual(['redress.open-complaint', 'charter.count-refusal'])
    expect(jobs.map((j) => j.name)).toEqual(['choice.find-deadlines-passed'])
  })

  it.each([
    [
      { eventHandlers: [handler('redress.x'), handler('redress.x', 'choice.accepted')] },
      'Two event handlers are called "redress.x"',
    ],
    [{ scheduledJobs: [job('choice.tick'), job('choice.tick')] }, 'Two scheduled jobs are called "choice.tick"'],
    [
      { eventHandlers: [handler('OpenComplaint')] },
      'The event handler name "OpenComplaint" must look like module.what',
    ],
    [{ eventHandlers: [handler('redress.x', 'not given')] }, '"not given", which is not an event type'],
    [{ scheduledJobs: [job('choice.tick', 0)] }, 'must run every 1 second or more'],
  ])('refuses a misconfiguration %#', (over, message) => {
    expect(() => collectJobs([manifest('testing', over)])).toThrow(message)
  })
})
