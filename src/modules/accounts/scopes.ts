import type { AnyDb, ScopeType } from '../../platform/index.ts'

/** National bodies that commission services, by the code a commissioner's scope is held in. */
export const NATIONAL_BODIES: Readonly<Record<string, string>> = {
  'nhs-england': 'NHS England',
  dfe: 'Department for Education',
  dhsc: 'Department of Health and Social Care',
  mhclg: 'Ministry of Housing, Communities and Local Government',
}

// ONS (GSS) codes: unitary, non-metropolitan, metropolitan and London authorities in England, and Welsh
// unitary authorities; parishes in England and communities in Wales, the level a neighbourhood council sits at.
const LOCAL_AUTHORITY_CODE = /^(E06|E07|E08|E09|W06)\d{6}$/
const PARISH_CODE = /^(E04|W04)\d{6}$/

/**
 * A commissioner works for a local authority (by its ONS code) or a national body. Until the directory imports
 * the ONS names (issue #4), a local authority is shown by its code.
 */
export const commissioningBodyScope: ScopeType = {
  name: 'commissioning-body',
  async resolve(_db: AnyDb, input: string) {
    const trimmed = input.trim()
    const body = NATIONAL_BODIES[trimmed.toLowerCase()]
    if (body) return { id: trimmed.toLowerCase(), label: body }
    const code = trimmed.toUpperCase()
    return LOCAL_AUTHORITY_CODE.test(code) ? { id: code, label: code } : null
  },
  async label(_db: AnyDb, id: string) {
    return NATIONAL_BODIES[id] ?? (LOCAL_AUTHORITY_CODE.test(id) ? id : null)
  },
}

/** A neighbourhood council officer works for one council, named by its parish or community ONS code. */
export const neighbourhoodCouncilScope: ScopeType = {
  name: 'neighbourhood-council',
  async resolve(_db: AnyDb, input: string) {
    const code = input.trim().toUpperCase()
    return PARISH_CODE.test(code) ? { id: code, label: code } : null
  },
  async label(_db: AnyDb, id: string) {
    return PARISH_CODE.test(id) ? id : null
  },
}
