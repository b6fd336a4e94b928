#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx openchoice` works straight after `npm ci`.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli/openchoice.ts')
await main(process.argv)
