import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runOpenchoice } from './support.ts'

// The real outcode centroids from data/ (data/README.md), used unchanged; broken copies are written to a temp dir.
const OUTCODES = resolve(import.meta.dirname, '../../data/postcode_outcodes/postcode-outcodes.csv')
const dataDir = mkdtempSync(join(tmpdir(), 'openchoice-import-cli-'))
const files = mkdtempSync(join(tmpdir(), 'openchoice-import-files-'))
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(files, { recursive: true, force: true })
})

function openchoice(...args: string[]) {
  return runOpenchoice(dataDir, args, {})
}

/** The JSON summary `--json` prints as the last line of standard output. */
function summaryOf(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>
}

// Constructed from the file's first 7 lines (CRLF, as published): AB10 moved (a change a good import would make),
// line 4 cut after its outcode, line 6's latitude not a number.
const BROKEN = [
  'id,outcode,latitude,longitude,',
  '1,AB10,57.2,-2.122482,',
  '2,AB11,57.13121,-2.082261,',
  '3,AB12',
  '4,AB13,57.108,-2.237,',
  '5,AB14,x,-2.27,',
  '6,AB15,57.143396,-2.199525,',
].join('\r\n')

describe('openchoice import', () => {
  beforeAll(async () => {
    const migrated = await openchoice('migrate')
    expect(migrated.code).toBe(0)
  }, 120_000)

  it('names the sources it knows when given one it does not, and exits 2', async () => {
    const run = await openchoice('import', 'postcodes-of-the-moon', OUTCODES)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('unknown source "postcodes-of-the-moon"')
    expect(run.stderr).toMatch(/Sources: .*onspd.*outcodes.*imd2019/)
  })

  it('operator imports the outcode centroids; the same file again changes nothing', async () => {
    const first = await openchoice('import', 'outcodes', OUTCODES, '--json')
    expect(first.code).toBe(0)
    expect(summaryOf(first.stdout)).toMatchObject({
      source: 'outcodes',
      file: 'postcode-outcodes.csv',
      encoding: 'utf-8',
      records: 2973,
      inserted: 2973,
      updated: 0,
      unchanged: 0,
      rejected: 0,
    })

    const again = await openchoice('import', 'outcodes', OUTCODES, '--json')
    expect(again.code).toBe(0)
    expect(summaryOf(again.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 2973, rejected: 0 })

    const sentence = await openchoice('import', 'outcodes', OUTCODES)
    expect(sentence.code).toBe(0)
    expect(sentence.stdout).toContain(
      'Imported postcode-outcodes.csv (utf-8): 2973 rows read, 0 inserted, 0 updated, 2973 unchanged, 0 rejected.',
    )
  })

  it('operator is told every bad line of a broken file, and nothing in it is imported', async () => {
    const broken = join(files, 'outcodes-broken.csv')
    writeFileSync(broken, BROKEN)
    const run = await openchoice('import', 'outcodes', broken, '--json')
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('Nothing was imported')
    expect(run.stderr).toContain('line 4: the row has 2 columns, but the file has 5')
    expect(run.stderr).toContain('line 6: latitude "x" is not a UK latitude')
    expect(summaryOf(run.stdout)).toMatchObject({ source: 'outcodes', imported: false, rejected: 2 })
    expect(existsSync(`${broken}.rejects.csv`)).toBe(false)

    // AB10's new latitude was not stored: the published file still matches the database exactly.
    const check = await openchoice('import', 'outcodes', OUTCODES, '--json')
    expect(summaryOf(check.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 2973 })
  })

  it('with --skip-invalid, operator imports the good rows and gets the bad ones in a report', async () => {
    const broken = join(files, 'outcodes-skip.csv')
    writeFileSync(broken, BROKEN)
    const run = await openchoice('import', 'outcodes', broken, '--skip-invalid', '--json')
    expect(run.code).toBe(0)
    expect(summaryOf(run.stdout)).toMatchObject({ records: 6, inserted: 0, updated: 1, unchanged: 3, rejected: 2 })
    expect(run.stderr).toContain(`2 bad rows were left out; they are listed in ${broken}.rejects.csv`)
    expect(readFileSync(`${broken}.rejects.csv`, 'utf8')).toBe(
      'line,reason\n4,"the row has 2 columns, but the file has 5"\n6,"latitude ""x"" is not a UK latitude"\n',
    )

    const elsewhere = join(files, 'report.csv')
    const named = await openchoice('import', 'outcodes', broken, '--skip-invalid', '--rejects', elsewhere)
    expect(named.code).toBe(0)
    expect(readFileSync(elsewhere, 'utf8')).toContain('4,"the row has 2 columns')

    // The published file puts AB10 back.
    const restore = await openchoice('import', 'outcodes', OUTCODES, '--json')
    expect(summaryOf(restore.stdout)).toMatchObject({ inserted: 0, updated: 1, unchanged: 2972 })
  })

  it('says so, and exits 2, when the file is not there or the database is not migrated', async () => {
    const missing = await openchoice('import', 'outcodes', join(files, 'no-such-file.csv'))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('there is no file at')

    const unmigrated = mkdtempSync(join(tmpdir(), 'openchoice-import-cli-empty-'))
    try {
      const run = await runOpenchoice(unmigrated, ['import', 'outcodes', OUTCODES])
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('run `openchoice migrate` first')
    } finally {
      rmSync(unmigrated, { recursive: true, force: true })
    }
  })
})
