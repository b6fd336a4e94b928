import { providerSource } from './provider-sources.ts'
import {
  CQC_DIRECTORY,
  CQC_LOCATIONS,
  DIRECTORY_COLUMNS,
  LOCATIONS_COLUMNS,
  cqcDirectoryRecord,
  cqcLocationsRecord,
} from './cqc-rows.ts'

// The two CQC files list the same locations, each as its own source: importing both lists each location twice
// (under one organisation, as the provider's identifier is shared). Import one of them; `cqc-locations` has the
// ratings, dormancy, start dates and beds that the directory lacks.

/**
 * `openchoice import cqc-directory <file>`: CQC's care directory CSV. Its title block (a few lines, their number
 * varying between releases) comes before the header, which is found by its first cell, `Name`.
 */
export const cqcDirectorySource = providerSource(
  CQC_DIRECTORY,
  'CQC care directory (DD_Month_YYYY_CQC_directory.csv): active locations, no ratings',
  { kind: 'header', required: Object.values(DIRECTORY_COLUMNS), headerStartsWith: DIRECTORY_COLUMNS.name },
  cqcDirectoryRecord,
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
)
