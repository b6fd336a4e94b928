// The licence and attribution of the directory OpenChoice republishes (the open data downloads and the Open
// Referral UK API). Every row comes from a publisher's file under the Open Government Licence v3.0, which asks
// reusers to acknowledge the source; ONS postcode data also carries Ordnance Survey and Royal Mail notices.

export const LICENCE = {
  name: 'Open Government Licence v3.0',
  url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
} as const

/** One published data set the directory is built from, and how to credit it. */
export interface DataSource {
  /** The value of the `source` column for rows from this data set; absent for data used only to place rows. */
  source?: string
  publisher: string
  dataset: string
  url: string
  licence: string
  attribution: string[]
}

export const SOURCES: readonly DataSource[] = [
  {
    source: 'ods-epraccur',
    publisher: 'NHS England, Organisation Data Service',
    dataset: 'GP practices (epraccur)',
    url: 'https://digital.nhs.uk/services/organisation-data-service',
    licence: LICENCE.name,
    attribution: ['Contains public sector information licensed under the Open Government Licence v3.0.'],
  },
  {
    source: 'ofsted-childcare',
    publisher: 'Ofsted',
    dataset: 'Childcare providers and inspections',
    url: 'https://www.gov.uk/government/statistical-data-sets/childcare-providers-and-inspections-management-information',
    licence: LICENCE.name,
    attribution: ['Contains public sector information licensed under the Open Government Licence v3.0.'],
  },
  {
    source: 'gias',
    publisher: 'Department for Education',
    dataset: 'Get Information about Schools: establishment data',
    url: 'https://get-information-schools.service.gov.uk/Downloads',
    licence: LICENCE.name,
    attribution: ['Contains public sector information licensed under the Open Government Licence v3.0.'],
  },
  {
    source: 'cqc',
    publisher: 'Care Quality Commission',
    dataset: 'Care directory and HSCA Active Locations (care homes, home care, GP practices, dentists, hospitals)',
    url: 'https://www.cqc.org.uk/about-us/transparency/using-cqc-data',
    licence: LICENCE.name,
    attribution: ['Contains public sector information licensed under the Open Government Licence v3.0.'],
  },
  {
    publisher: 'Office for National Statistics',
    dataset: 'ONS Postcode Directory (postcode points, where a location is placed exactly)',
    url: 'https://geoportal.statistics.gov.uk/',
    licence: LICENCE.name,
    attribution: [
      'Source: Office for National Statistics licensed under the Open Government Licence v3.0.',
      'Contains OS data © Crown copyright and database right.',
      'Contains Royal Mail data © Royal Mail copyright and database right.',
    ],
  },
  {
    publisher: 'A third-party compilation of Ordnance Survey Code-Point Open and ONS data',
    dataset: 'Postcode district (outcode) centres, where a location is placed approximately',
    url: 'https://www.ordnancesurvey.co.uk/products/code-point-open',
    licence: `Made from data under the ${LICENCE.name}`,
    attribution: ['Contains OS data © Crown copyright and database right.'],
  },
]

/** The attribution statement to reproduce with any reuse, in one paragraph. */
export const ATTRIBUTION = [
  'Contains public sector information licensed under the Open Government Licence v3.0',
  '(NHS England Organisation Data Service; Ofsted; Department for Education, Get Information about Schools;',
  'Care Quality Commission).',
  'Source: Office for National Statistics licensed under the Open Government Licence v3.0.',
  'Contains OS data © Crown copyright and database right.',
  'Contains Royal Mail data © Royal Mail copyright and database right.',
].join(' ')

export const LICENCE_PATH = '/open-data/directory-licence.txt'

/** One column of the downloads, described for the licence statement and the JSON file. */
export interface ColumnDescription {
  name: string
  description: string
}

/** The plain-text licence and attribution statement that accompanies the CSV and JSON downloads. */
export function licenceStatement(columns: readonly ColumnDescription[]): string {
  const lines = [
    'OpenChoice directory: open data licence and attribution',
    '========================================================',
    '',
    'Files',
    '  /open-data/directory.csv   one row per service at a location (UTF-8, comma-separated, with a header row)',
    '  /open-data/directory.json  the same rows as JSON, with this licence and attribution as fields',
    '  /api/oruk/                 the same directory as an Open Referral UK (HSDS 3.0) API, no key needed',
    '',
    'Licence',
    `  The data is available under the ${LICENCE.name}:`,
    `  ${LICENCE.url}`,
    '  You may copy, publish, adapt and use it, commercially or not, as long as you acknowledge the sources below.',
    '',
    'Attribution (please reproduce it with any reuse)',
    ...wrap(ATTRIBUTION, 2),
    '',
    'Sources',
    ...SOURCES.flatMap((s) => [
      `  ${s.publisher}: ${s.dataset}`,
      ...(s.source ? [`    rows with source = ${s.source}`] : []),
      `    ${s.url}`,
      `    Licence: ${s.licence}`,
      ...s.attribution.map((a) => `    ${a}`),
    ]),
    '',
    'Which file each row came from is in its source and source_file columns. Coordinates are approximate where',
    'coordinate_precision is "outcode" (the centre of the postcode district, which can be a few miles from the',
    'address) and the postcode point where it is "exact".',
    '',
    'Columns',
    ...columns.map((c) => `  ${c.name}: ${c.description}`),
    '',
  ]
  return lines.join('\n')
}

function wrap(text: string, indent: number, width = 100): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width - indent) {
      lines.push(' '.repeat(indent) + line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(' '.repeat(indent) + line)
  return lines
}
