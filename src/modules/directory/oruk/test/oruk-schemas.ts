import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsImport from 'ajv-formats'
import { paths } from '../../../../platform/index.ts'

// The official Open Referral UK schemas, copied unchanged into standards/oruk (standards/README.md gives their source
// and licence; ORUK_SCHEMAS_DIR moves them). A payload that fails one of them is a bug.
export const ORUK_SCHEMAS_DIR = process.env.ORUK_SCHEMAS_DIR ?? resolve(paths.root, 'standards/oruk')

const read = (file: string) => JSON.parse(readFileSync(join(ORUK_SCHEMAS_DIR, file), 'utf8')) as Record<string, unknown>

// ajv-formats is CommonJS: under NodeNext its default export arrives as the module object.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as unknown as (
  ajv: Ajv2020,
) => Ajv2020

/** The annotations the profile's schemas carry besides JSON Schema (Frictionless data package fields). */
const ANNOTATIONS = [
  'name',
  'path',
  'datapackage_metadata',
  'datapackage_type',
  'tabular_required',
  'constraints',
  'example',
  'core',
]

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false })
  ajv.addVocabulary(ANNOTATIONS)
  addFormats(ajv)
  // taxonomy.json refers to its terms as "taxonomy_term.json".
  ajv.addSchema(read('taxonomy_term.json'), 'taxonomy_term.json')
  return ajv
}

export type SchemaName =
  | 'service'
  | 'service_list'
  | 'service_at_location'
  | 'service_at_location_list'
  | 'organization'
  | 'taxonomy'
  | 'taxonomy_term'

const ajv = createAjv()
const compiled = new Map<SchemaName, ValidateFunction>()

/** The validator for one of the official schemas. */
export function orukValidator(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name)
  if (!validate) {
    validate = name === 'taxonomy_term' ? ajv.getSchema('taxonomy_term.json')! : ajv.compile(read(`${name}.json`))
    compiled.set(name, validate)
  }
  return validate
}

/** The problems one payload has against a schema, in words (empty when it is valid). */
export function schemaErrors(name: SchemaName, payload: unknown): string[] {
  const validate = orukValidator(name)
  if (validate(payload)) return []
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`)
}

/** The openapi.json of the profile: its paths and parameters. */
export function orukOpenApi(): {
  paths: Record<string, Record<string, { parameters?: { $ref?: string; name?: string }[] }>>
  components: {
    parameters: Record<string, { name: string }>
    schemas: { Page: { properties: Record<string, unknown> } }
  }
} {
  return read('openapi.json') as ReturnType<typeof orukOpenApi>
}
