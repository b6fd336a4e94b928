import { sql, type CreateTableBuilder, type Kysely } from 'kysely'

// Frozen in time.
//
// DfE performance tables (KS4, 16-18) and the school census, one row per school (URN) and academic year. There is
// deliberately no foreign key to the directory's organisations: results often arrive before (or without) the school,
// and the URN joins them whenever the school is there. Suppressed values are null, with DfE's marker kept in
// `markers` ({ "progress8": "SUPP" }), never 0.
type Builder = CreateTableBuilder<string, never>

function keyed(table: Builder): Builder {
  return table
    .addColumn('urn', 'integer', (c) => c.notNull())
    .addColumn('academic_year', 'text', (c) => c.notNull().check(sql`academic_year ~ '^[0-9]{4}/[0-9]{2}$'`))
    .addColumn('la_number', 'text', (c) => c.notNull())
    .addColumn('estab_number', 'text', (c) => c.notNull())
}

function provenance(table: Builder): Builder {
  return table
    .addColumn('markers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('source_file', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
}

const count = (table: Builder, name: string) => table.addColumn(name, 'integer', (c) => c.check(sql`${sql.ref(name)} >= 0`))
const score = (table: Builder, name: string) => table.addColumn(name, 'double precision')
const percent = (table: Builder, name: string) =>
  table.addColumn(name, 'double precision', (c) => c.check(sql`${sql.ref(name)} between 0 and 100`))

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists directory`.execute(db)

  let ks4 = keyed(db.schema.createTable('directory.school_ks4_results') as Builder)
    .addColumn('record_type', 'smallint', (c) => c.notNull().check(sql`record_type in (1, 2)`))
    .addColumn('school_name', 'text')
    .addColumn('institution_type', 'text')
    .addColumn('closed', 'boolean')
  ks4 = count(ks4, 'pupils')
  ks4 = score(ks4, 'attainment8')
  ks4 = count(ks4, 'progress8_pupils')
  for (const c of ['progress8', 'progress8_lower', 'progress8_upper']) ks4 = score(ks4, c)
  ks4 = ks4.addColumn('progress8_banding', 'smallint', (c) => c.check(sql`progress8_banding between 1 and 5`))
  for (const c of ['pct_english_maths_grade4', 'pct_english_maths_grade5', 'pct_ebacc_entered']) ks4 = percent(ks4, c)
  ks4 = score(ks4, 'ebacc_aps')
  for (const c of ['pct_ebacc_grade4', 'pct_ebacc_grade5']) ks4 = percent(ks4, c)
  await provenance(ks4).addPrimaryKeyConstraint('school_ks4_results_pkey', ['urn', 'academic_year']).execute()

  let ks5 = keyed(db.schema.createTable('directory.school_ks5_results') as Builder)
    .addColumn('record_type', 'smallint', (c) => c.notNull().check(sql`record_type in (1, 2, 3)`))
    .addColumn('school_name', 'text')
    .addColumn('institution_type', 'text')
    // The KS5 file's address, kept for a later step to create or enrich the school's location (issue #4).
    .addColumn('address1', 'text')
    .addColumn('address2', 'text')
    .addColumn('address3', 'text')
    .addColumn('town', 'text')
    .addColumn('postcode', 'text')
    .addColumn('telephone', 'text')
    .addColumn('consortium_members', sql`text[]`)
  ks5 = count(ks5, 'students')
  for (const kind of ['alevel', 'academic', 'applied_general', 'tech_level']) {
    ks5 = score(count(ks5, `${kind}_students`), `${kind}_aps`).addColumn(`${kind}_grade`, 'text')
  }
  ks5 = score(ks5, 'best3_aps').addColumn('best3_grade', 'text')
  ks5 = percent(ks5, 'pct_aab_facilitating')
  for (const c of ['alevel_value_added', 'alevel_value_added_lower', 'alevel_value_added_upper']) ks5 = score(ks5, c)
  for (const c of ['english_progress', 'maths_progress']) ks5 = score(ks5, c)
  for (const kind of ['alevel', 'academic', 'applied_general', 'tech_level']) ks5 = percent(ks5, `pct_retained_${kind}`)
  await provenance(ks5).addPrimaryKeyConstraint('school_ks5_results_pkey', ['urn', 'academic_year']).execute()

  let census = keyed(db.schema.createTable('directory.school_census') as Builder).addColumn('school_type', 'text')
  census = count(census, 'pupils')
  for (const c of ['girls', 'boys']) census = count(census, c)
  for (const c of ['pct_girls', 'pct_boys']) census = percent(census, c)
  for (const c of ['ehc_plan', 'sen_support', 'eal', 'english_first_language', 'language_unclassified']) {
    census = percent(count(census, c), `pct_${c}`)
  }
  census = count(count(census, 'fsm'), 'fsm_ever_6_years')
  census = percent(census, 'pct_fsm_ever_6_years')
  await provenance(census).addPrimaryKeyConstraint('school_census_pkey', ['urn', 'academic_year']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('directory.school_census').execute()
  await db.schema.dropTable('directory.school_ks5_results').execute()
  await db.schema.dropTable('directory.school_ks4_results').execute()
}
