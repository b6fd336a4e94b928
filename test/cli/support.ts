import { spawn } from 'node:child_process'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')

/** Runs `openchoice <args>` on a PGlite database in `dataDir`, as an operator would, and waits for it to exit. */
export function runOpenchoice(
  dataDir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, OPENCHOICE_DATA_DIR: dataDir, ...env }
  delete childEnv.DATABASE_URL
  if (!('LOG_LEVEL' in env)) delete childEnv.LOG_LEVEL
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/openchoice.js', ...args], { cwd: root, env: childEnv })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.once('error', fail)
    child.once('exit', (code) => done({ code, stdout, stderr }))
  })
}
