import { afterAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildCli } from '../../src/cli/openchoice.ts'

const root = resolve(import.meta.dirname, '../..')
const dataDir = mkdtempSync(join(tmpdir(), 'openchoice-cli-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => done(port))
    })
  })
}

/** Starts `openchoice serve` as `npm start` does, and resolves once it answers on its port. */
async function serve(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['bin/openchoice.js', 'serve'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`serve exited early:\n${output}`)
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { child, url, output: () => output }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`serve did not become ready:\n${output}`)
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((done) => {
    child.once('exit', (code) => done(code))
    child.kill(signal)
  })
}

describe('openchoice command line', () => {
  it('lists serve, migrate and seed with help for each', () => {
    const cli = buildCli()
    const names = cli.commands.map((c) => c.name())
    expect(names).toEqual(expect.arrayContaining(['serve', 'migrate', 'seed']))
    for (const c of cli.commands) {
      expect(c.description().length).toBeGreaterThan(10)
      expect(c.helpInformation()).toContain(`Usage: openchoice ${c.name()}`)
    }
  })

  it('first start migrates and loads real demo data; a restart keeps it; SIGTERM and SIGINT stop it cleanly', async () => {
    const first = await serve({ OPENCHOICE_DATA_DIR: dataDir })
    const home = await (await fetch(first.url)).text()
    expect(home).toContain('1,367 providers listed')
    expect(first.output()).toContain('Using PGlite in')
    expect(first.output()).toContain('production data belongs in PostgreSQL')
    expect(first.output()).toContain('demo providers loaded')
    expect(first.output()).toContain('jobs worker started')
    expect(await stop(first.child, 'SIGTERM')).toBe(0)

    const second = await serve({ OPENCHOICE_DATA_DIR: dataDir })
    expect(await (await fetch(second.url)).text()).toContain('1,367 providers listed')
    expect(second.output()).not.toContain('demo providers loaded') // nothing loaded twice
    expect(await stop(second.child, 'SIGINT')).toBe(0)
  })

  it.runIf(process.env.TEST_DATABASE_URL)('serves from PostgreSQL when DATABASE_URL is set', async () => {
    const pg = await import('pg')
    const admin = new pg.default.Client({ connectionString: process.env.TEST_DATABASE_URL })
    await admin.connect()
    const name = `openchoice_cli_${process.pid}`
    await admin.query(`drop database if exists ${name}`)
    await admin.query(`create database ${name}`)
    const url = new URL(process.env.TEST_DATABASE_URL!)
    url.pathname = `/${name}`
    try {
      const s = await serve({ DATABASE_URL: url.toString() })
      expect(await (await fetch(s.url)).text()).toContain('1,367 providers listed')
      expect(s.output()).toContain('Using PostgreSQL at 127.0.0.1')
      expect(s.output()).not.toContain('postgres@') // no credentials in logs
      expect(await stop(s.child, 'SIGTERM')).toBe(0)
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    }
  })
})
