import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely'

// Frozen in time.
//
// DfE performance tables (KS4, 16-18) and the school census, one row per school (URN) and academic year. There is
// deliberately no foreign key to the directory's organisations: results often arrive before (or without) the school,
// and the URN joins them whenever the school is there. Suppressed values are null, with DfE's marker kept in
// `markers` ({ "progress8": "SUPP" }), never 0.
type Column = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder
const count =
  (name: string): Column =>
  (c) =>
    c.check(sql`${sql.ref(name)} >= 0`)
const percent =
  (name: string): Column =>
  (c) =>
    c.check(sql`${sql.ref(name)} between 0 and 100`)
const academicYear: Column = (c) => c.notNull().check(sql`academic_year ~ '^[0-9]{4}/[0-9]{2}$'`)
const noMarkers: Column = (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)
const now: Column = (c) => c.notNull().defaultTo(sql`now()`)
const notNull: Column = (c) => c.notNull()

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists directory`.execute(db)

  await db.schema
    .createTable('directory.school_ks4_results')
    .addColumn('urn', 'integer', notNull)
    .addColumn('academic_year', 'text', academicYear)
    .addColumn('record_type', 'smallint', (c) => c.notNull().check(sql`record_type in (1, 2)`))
    .addColumn('la_number', 'text', notNull)
    .addColumn('estab_number', 'text', notNull)
    .addColumn('school_name', 'text')
    .addColumn('institution_type', 'text')
    .addColumn('closed', 'boolean')
    .addColumn('pupils', 'integer', count('pupils'))
    .addColumn('attainment8', 'double precision')
    .addColumn('progress8_pupils', 'integer', count('progress8_pupils'))
    .addColumn('progress8', 'double precision')
    .addColumn('progress8_lower', 'double precision')
    .addColumn('progress8_upper', 'double precision')
    .addColumn('progress8_banding', 'smallint', (c) => c.check(sql`progress8_banding between 1 and 5`))
    .addColumn('pct_english_maths_grade4', 'double precision', percent('pct_english_maths_grade4'))
    .addColumn('pct_english_maths_grade5', 'double precision', percent('pct_english_maths_grade5'))
    .addColumn('pct_ebacc_entered', 'double precision', percent('pct_ebacc_entered'))
    .addColumn('ebacc_aps', 'double precision')
    .addColumn('pct_ebacc_grade4', 'double precision', percent('pct_ebacc_grade4'))
    .addColumn('pct_ebacc_grade5', 'double precision', percent('pct_ebacc_grade5'))
    .addColumn('markers', 'jsonb', noMarkers)
    .addColumn('source_file', 'text', notNull)
    .addColumn('imported_at', 'timestamptz', now)
    .addPrimaryKeyConstraint('school_ks4_results_pkey', ['urn', 'academic_year'])
    .execute()

  await db.schema
    .createTable('directory.school_ks5_results')
    .addColumn('urn', 'integer', notNull)
    .addColumn('academic_year', 'text', academicYear)
    .addColumn('record_type', 'smallint', (c) => c.notNull().check(sql`record_type in (1, 2, 3)`))
    .addColumn('la_number', 'text', notNull)
    .addColumn('estab_number', 'text', notNull)
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
    .addColumn('students', 'integer', count('students'))
    .addColumn('alevel_students', 'integer', count('alevel_students'))
    .addColumn('alevel_aps', 'double precision')
    .addColumn('alevel_grade', 'text')
    .addColumn('academic_students', 'integer', count('academic_students'))
    .addColumn('academic_aps', 'double precision')
    .addColumn('academic_grade', 'text')
    .addColumn('applied_general_students', 'integer', count('applied_general_students'))
    .addColumn('applied_general_aps', 'double precision')
    .addColumn('applied_general_grade', 'text')
    .addColumn('tech_level_students', 'integer', count('tech_level_students'))
    .addColumn('tech_level_aps', 'double precision')
    .addColumn('tech_level_grade', 'text')
    .addColumn('best3_aps', 'double precision')
    .addColumn('best3_grade', 'text')
    .addColumn('pct_aab_facilitating', 'double precision', percent('pct_aab_facilitating'))
    .addColumn('alevel_value_added', 'double precision')
    .addColumn('alevel_value_added_lower', 'double precision')
    .addColumn('alevel_value_added_upper', 'double precision')
    .addColumn('english_progress', 'double precision')
    .addColumn('maths_progress', 'double precision')
    .addColumn('pct_retained_alevel', 'double precision', percent('pct_retained_alevel'))
    .addColumn('pct_retained_academic', 'double precision', percent('pct_retained_academic'))
    .addColumn('pct_retained_applied_general', 'double precision', percent('pct_retained_applied_general'))
    .addColumn('pct_retained_tech_level', 'double precision', percent('pct_retained_tech_level'))
    .addColumn('markers', 'jsonb', noMarkers)
    .addColumn('source_file', 'text', notNull)
    .addColumn('imported_at', 'timestamptz', now)
    .addPrimaryKeyConstraint('school_ks5_results_pkey', ['urn', 'academic_year'])
    .execute()

  await db.schema
    .createTable('directory.school_census')
    .addColumn('urn', 'integer', notNull)
    .addColumn('academic_year', 'text', academicYear)
    .addColumn('la_number', 'text', notNull)
    .addColumn('estab_number', 'text', notNull)
    .addColumn('school_type', 'text')
    .addColumn('pupils', 'integer', count('pupils'))
    .addColumn('girls', 'integer', count('girls'))
    .addColumn('boys', 'integer', count('boys'))
    .addColumn('pct_girls', 'double precision', percent('pct_girls'))
    .addColumn('pct_boys', 'double precision', percent('pct_boys'))
    .addColumn('ehc_plan', 'integer', count('ehc_plan'))
    .addColumn('pct_ehc_plan', 'double precision', percent('pct_ehc_plan'))
    .addColumn('sen_support', 'integer', count('sen_support'))
    .addColumn('pct_sen_support', 'double precision', percent('pct_sen_support'))
    .addColumn('eal', 'integer', count('eal'))
    .addColumn('pct_eal', 'double precision', percent('pct_eal'))
    .addColumn('english_first_language', 'integer', count('english_first_language'))
    .addColumn('pct_english_first_language', 'double precision', percent('pct_english_first_language'))
    .addColumn('language_unclassified', 'integer', count('language_unclassified'))
    .addColumn('pct_language_unclassified', 'double precision', percent('pct_language_unclassified'))
    .addColumn('fsm', 'integer', count('fsm'))
    .addColumn('fsm_ever_6_years', 'integer', count('fsm_ever_6_years'))
    .addColumn('pct_fsm_ever_6_years', 'double precision', percent('pct_fsm_ever_6_years'))
    .addColumn('markers', 'jsonb', noMarkers)
    .addColumn('source_file', 'text', notNull)
    .addColumn('imported_at', 'timestamptz', now)
    .addPrimaryKeyConstraint('school_census_pkey', ['urn', 'academic_year'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('directory.school_census').execute()
  await db.schema.dropTable('directory.school_ks5_results').execute()
  await db.schema.dropTable('directory.school_ks4_results').execute()
}
