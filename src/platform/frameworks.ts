/** The five Choice Frameworks: the areas where people in England have a right to choose. */
export const CHOICE_FRAMEWORKS = ['nhs-care', 'social-housing', 'social-care', 'education', 'early-education'] as const

export type ChoiceFramework = (typeof CHOICE_FRAMEWORKS)[number]

export function isChoiceFramework(value: unknown): value is ChoiceFramework {
  return typeof value === 'string' && (CHOICE_FRAMEWORKS as readonly string[]).includes(value)
}
