import { providerSource } from './provider-sources.ts'
import { TRACKED, type SourceRole } from './provider-store.ts'
import {
  CQC_DIRECTORY,
  CQC_LOCATIONS,
  CQC_REGISTER,
  DIRECTORY_COLUMNS,
  LOCATIONS_COLUMNS,
  cqcDirectoryRecord,
  cqcLocationsRecord,
} from './cqc-rows.ts'

// The two CQC files describe the same locations, so both list them in one register, `cqc`, by CQC location ID:
// importing both, in either order, lists each location once (import runs still record which file each was). Each
// file keeps up to date only the fields it owns. Both own the fields both carry, which agree, but for the address:
// the directory's is one line with the town in it, the HSCA file's has the town apart, so only the HSCA file's
// address, town and postcode are kept, lest each file rewrite the other's every time. A location the directory
// lists first starts with the directory's address, and its rating is recorded when the HSCA file brings it.
//
// Only the HSCA file unlists a location it no longer lists, and relists one it lists again: it is CQC's register of
// active registrations. The directory lists new locations and keeps its fields up to date, but never unlists one
// nor relists one HSCA unlisted: the two files are published on different days, and would otherwise unlist and
// relist the locations they disagree on each time one of them is imported.

/** The care directory: no ratings, beds, start dates or dormancy, but the telephone number that HSCA lacks. */
const DIRECTORY_ROLE: SourceRole = {
  register: CQC_REGISTER,
  owns: ['name', 'registration', 'service_type', 'la_name', 'telephone'],
  unlists: false,
}

/** HSCA Active Locations: every field but the telephone number. */
const LOCATIONS_ROLE: SourceRole = {
  register: CQC_REGISTER,
  owns: TRACKED.filter((f) => f !== 'telephone'),
  unlists: true,
}

/**
 * `openchoice import cqc-directory <file>`: CQC's care directory CSV. Its title block (a few lines, their number
 * varying between releases) comes before the header, which is found by its first cell, `Name`.
 */
export const cqcDirectorySource = providerSource(
  CQC_DIRECTORY,
  'CQC care directory (DD_Month_YYYY_CQC_directory.csv): active locations, with telephone numbers and no ratings',
  { kind: 'header', required: Object.values(DIRECTORY_COLUMNS), headerStartsWith: DIRECTORY_COLUMNS.name },
  cqcDirectoryRecord,
  DIRECTORY_ROLE,
)

/**
 * `openchoice import cqc-locations <file>`: CQC's HSCA Active Locations sheet saved as CSV. Some releases of the
 * spreadsheet put notes above the header, so the header is found by its first cell, `Location ID`, here too.
 */
export const cqcLocationsSource = providerSource(
  CQC_LOCATIONS,
  'CQC HSCA Active Locations (sheet HSCA_Active_Locations saved as CSV): ratings, dormancy, beds',
  { kind: 'header', required: Object.values(LOCATIONS_COLUMNS), headerStartsWith: LOCATIONS_COLUMNS.locationId },
  cqcLocationsRecord,
  LOCATIONS_ROLE,
)
