import { z } from 'zod'
import { CHOICE_FRAMEWORKS, type ChoiceFramework } from '../../platform/index.ts'

/**
 * The rights catalogue: for each Choice Framework, the rights people have, who has them, where they come from in
 * law or guidance, the Choice Charter's response standard for a choice request, the kind of choice request people
 * make, and the way to redress when a choice is not given. The words are in the i18n catalogue
 * (locales/en.json, `choice.rights`); this file holds the structure, the facts that are not words (days, links)
 * and the keys, built in one place so that pages and tests use the same ones.
 */

/** The kind of choice request a person makes in each framework (the lead's choice requests use it). */
export const REQUEST_KINDS = [
  'register-gp',
  'housing-interest',
  'care-provider',
  'school-place',
  'early-education-place',
] as const
export type ChoiceRequestKind = (typeof REQUEST_KINDS)[number]

export const OMBUDSMEN = {
  phso: 'https://www.ombudsman.org.uk',
  lgsco: 'https://www.lgo.org.uk',
  housing: 'https://www.housing-ombudsman.org.uk',
} as const
export type Ombudsman = keyof typeof OMBUDSMEN

/** Published texts a right rests on, with where to read them. */
const SOURCES = {
  'gms-regulations-2015': 'https://www.legislation.gov.uk/uksi/2015/1862/schedule/3',
  'nhs-constitution': 'https://www.gov.uk/government/publications/the-nhs-constitution-for-england',
  'standing-rules-2012': 'https://www.legislation.gov.uk/uksi/2012/2996/regulation/39',
  'nhs-choice-framework': 'https://www.gov.uk/government/publications/the-nhs-choice-framework',
  'housing-act-1996-s166a': 'https://www.legislation.gov.uk/ukpga/1996/52/section/166A',
  'care-act-2014-planning': 'https://www.legislation.gov.uk/ukpga/2014/23/part/1',
  'care-act-2014-s30': 'https://www.legislation.gov.uk/ukpga/2014/23/section/30',
  'choice-of-accommodation-2014': 'https://www.legislation.gov.uk/uksi/2014/2670',
  'ssfa-1998-s86': 'https://www.legislation.gov.uk/ukpga/1998/31/section/86',
  'ssfa-1998-s94': 'https://www.legislation.gov.uk/ukpga/1998/31/section/94',
  'admissions-code-2021': 'https://www.gov.uk/government/publications/school-admissions-code--2',
  'appeals-code-2022': 'https://www.gov.uk/government/publications/school-admissions-appeals-code',
  'childcare-act-2006-s7': 'https://www.legislation.gov.uk/ukpga/2006/21/section/7',
  'childcare-act-2016-s1': 'https://www.legislation.gov.uk/ukpga/2016/5/section/1',
  'early-education-guidance': 'https://www.gov.uk/government/publications/early-education-and-childcare--2',
} as const
type SourceId = keyof typeof SOURCES

interface FrameworkEntry {
  requestKind: ChoiceRequestKind
  /** The Choice Charter's standard: a provider answers a choice request within this many working days. */
  responseStandardDays: number
  /** Each right, by id, with the texts it rests on. */
  rights: Record<string, SourceId[]>
  /** The steps to take before the ombudsman, in order (each is a paragraph of text). */
  redressSteps: string[]
  ombudsman: Ombudsman
}

// The response standards are OpenChoice's own (the Choice Charter), set inside any legal time limit: a GP practice
// must give written reasons for a refusal within 14 days (GMS Regulations 2015, Sch. 3), and an in-year school
// application must be answered within 15 school days (School Admissions Code 2021, 2.28).
const CATALOGUE: Record<ChoiceFramework, FrameworkEntry> = {
  'nhs-care': {
    requestKind: 'register-gp',
    responseStandardDays: 5,
    rights: {
      'register-gp': ['gms-regulations-2015', 'nhs-constitution'],
      'first-outpatient': ['standing-rules-2012', 'nhs-choice-framework', 'nhs-constitution'],
    },
    redressSteps: ['provider', 'commissioner'],
    ombudsman: 'phso',
  },
  'social-housing': {
    requestKind: 'housing-interest',
    responseStandardDays: 10,
    rights: {
      'express-preference': ['housing-act-1996-s166a'],
      review: ['housing-act-1996-s166a'],
    },
    redressSteps: ['review', 'landlord'],
    ombudsman: 'housing',
  },
  'social-care': {
    requestKind: 'care-provider',
    responseStandardDays: 10,
    rights: {
      'choose-provider': ['care-act-2014-planning'],
      'choose-care-home': ['care-act-2014-s30', 'choice-of-accommodation-2014'],
    },
    redressSteps: ['council'],
    ombudsman: 'lgsco',
  },
  education: {
    requestKind: 'school-place',
    responseStandardDays: 15,
    rights: {
      'school-preference': ['ssfa-1998-s86', 'admissions-code-2021'],
      'in-year': ['admissions-code-2021'],
      appeal: ['ssfa-1998-s94', 'appeals-code-2022'],
    },
    redressSteps: ['appeal'],
    ombudsman: 'lgsco',
  },
  'early-education': {
    requestKind: 'early-education-place',
    responseStandardDays: 10,
    rights: {
      'funded-place': ['childcare-act-2006-s7', 'childcare-act-2016-s1', 'early-education-guidance'],
    },
    redressSteps: ['provider', 'council'],
    ombudsman: 'lgsco',
  },
}

const key = z.string().regex(/^choice\.rights\.[\w.-]+$/)
const link = z.url({ protocol: /^https$/ })

const frameworkRightsSchema = z.object({
  framework: z.enum(CHOICE_FRAMEWORKS),
  requestKind: z.enum(REQUEST_KINDS),
  // Working days: at least one, and never longer than the longest legal limit above (15 school days).
  responseStandardDays: z.number().int().min(1).max(15),
  standardText: key,
  rights: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z-]+$/),
        title: key,
        who: key,
        what: key,
        basis: z.array(z.object({ text: key, url: link })).min(1),
      }),
    )
    .min(1),
  redress: z.object({
    steps: z.array(key),
    ombudsman: z.object({ id: z.enum(Object.keys(OMBUDSMEN) as [Ombudsman]), name: key, text: key, url: link }),
  }),
})

/** One framework's rights, with the i18n keys of every text (pages call `t(key)`). */
export type FrameworkRights = z.infer<typeof frameworkRightsSchema>

function build(framework: ChoiceFramework): FrameworkRights {
  const entry = CATALOGUE[framework]
  const at = `choice.rights.${framework}`
  return frameworkRightsSchema.parse({
    framework,
    requestKind: entry.requestKind,
    responseStandardDays: entry.responseStandardDays,
    standardText: `${at}.standard`,
    rights: Object.entries(entry.rights).map(([id, sources]) => ({
      id,
      title: `${at}.${id}.title`,
      who: `${at}.${id}.who`,
      what: `${at}.${id}.what`,
      basis: sources.map((s) => ({ text: `choice.rights.sources.${s}`, url: SOURCES[s] })),
    })),
    redress: {
      steps: entry.redressSteps.map((s) => `${at}.redress.${s}`),
      ombudsman: {
        id: entry.ombudsman,
        name: `choice.rights.ombudsmen.${entry.ombudsman}`,
        text: `${at}.redress.ombudsman`,
        url: OMBUDSMEN[entry.ombudsman],
      },
    },
  })
}

// Built and validated once, when the module loads: a mistake in the catalogue stops the app from starting.
const RIGHTS = Object.fromEntries(CHOICE_FRAMEWORKS.map((f) => [f, build(f)])) as Record<
  ChoiceFramework,
  FrameworkRights
>

/** The rights people have in a Choice Framework, and how to seek redress there. */
export function rightsFor(framework: ChoiceFramework): FrameworkRights {
  return RIGHTS[framework]
}

/** The Choice Charter's standard for answering a choice request in the framework, in working days. */
export function responseStandardDays(framework: ChoiceFramework): number {
  return RIGHTS[framework].responseStandardDays
}

/** The kind of choice request people make in the framework, such as `register-gp`. */
export function requestKindFor(framework: ChoiceFramework): ChoiceRequestKind {
  return RIGHTS[framework].requestKind
}

/** Every i18n key the catalogue uses (a test checks each has an English string). */
export function rightsStringKeys(): string[] {
  return Object.values(RIGHTS).flatMap((r) => [
    r.standardText,
    ...r.rights.flatMap((x) => [x.title, x.who, x.what, ...x.basis.map((b) => b.text)]),
    ...r.redress.steps,
    r.redress.ombudsman.name,
    r.redress.ombudsman.text,
  ])
}
